import { Schema, type } from '@colyseus/schema'
import { describe, expect, test } from 'vitest'
import { layoutChange } from '../../src/core/layout.ts'

/**
 * Found on a fresh Colyseus room: adding `@type('string') title` in the middle of a live schema was
 * refused (right), but the message read "field title changed; field players added", naming the field
 * that did not change as added. @colyseus/schema keys `Symbol.metadata` entries by field index, and the
 * diff compares index by index. The message should say what the user did: title added (and the fields
 * after it moved).
 */

const v1 = () => {
  class GameState extends Schema {
    @type('number') declare ticks: number
    @type('string') declare label: string
    @type('number') declare pings: number
  }
  return GameState
}

const titleInserted = () => {
  class GameState extends Schema {
    @type('number') declare ticks: number
    @type('string') declare title: string
    @type('string') declare label: string
    @type('number') declare pings: number
  }
  return GameState
}

describe('a @type() field inserted between others', () => {
  test('is named as added; fields that only moved are not named as added', () => {
    const differences = layoutChange(v1(), titleInserted())?.differences ?? []
    expect(differences).toContain('field title added')
    expect(differences).not.toContain('field pings added')
    expect(differences).not.toContain('field title changed')
  })
})
