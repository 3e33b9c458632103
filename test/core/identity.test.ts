import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import type { SwapReport } from '../../src/index.ts'
import { scenario } from '../helpers/scenario.ts'
import type { Scenario } from '../helpers/scenario.ts'

const v1 = `
import { reloadable } from 'HOTCLASS'
@reloadable()
export class Ship {
  hp = 10
  speed(): number { return 1 }
  get label(): string { return 'ship v1' }
  fire(): string { return 'pew' }
  [Symbol.iterator]() { return [1].values() }
}
`
const v2 = `
import { reloadable } from 'HOTCLASS'
@reloadable()
export class Ship {
  hp = 10
  speed(): number { return 2 }
  get label(): string { return 'ship v2 ' + this.hp }
  set label(value: string) { this.hp = Number(value) }
  dock(): string { return 'docked' }
  [Symbol.iterator]() { return [1, 2].values() }
}
`

describe('live instances keep identity and state and run the new code', () => {
  // Each test swaps its own Ship (a folder of its own, so a class of its own): none sees another's writes.
  let s: Scenario
  let Ship: any
  let ship: any
  let report: SwapReport
  beforeEach(async () => {
    s = scenario('identity')
    s.write('ship.ts', v1)
    ;({ Ship } = await s.load<{ Ship: any }>('ship.ts'))
    ship = new Ship()
    ship.hp = 7
    report = await s.swap('ship.ts', v2)
  })
  afterEach(() => s.cleanup())

  test('the swap commits and says what changed', () => {
    expect(report.ok).toBe(true)
    const change = report.classes[0]!
    expect(change.name).toBe('Ship')
    expect(change.added).toEqual(['dock'])
    expect(change.removed).toEqual(['fire'])
    expect(change.changed.toSorted()).toEqual(['[Symbol.iterator]', 'label', 'speed'])
  })

  test('identity, own state, instanceof and constructor survive', () => {
    expect(ship.hp).toBe(7)
    expect(ship).toBeInstanceOf(Ship)
    expect(ship.constructor).toBe(Ship)
  })

  test('methods, accessors and symbol-keyed members are the new ones; removed ones are gone', () => {
    expect(ship.speed()).toBe(2)
    expect(ship.label).toBe('ship v2 7')
    ship.label = '12'
    expect(ship.hp).toBe(12)
    expect([...ship]).toEqual([1, 2])
    expect(ship.dock()).toBe('docked')
    expect(ship.fire).toBeUndefined()
  })

  test('members are copied as descriptors, not assigned', () => {
    const proto = Object.getPrototypeOf(ship)
    const label = Object.getOwnPropertyDescriptor(proto, 'label')!
    expect(typeof label.get).toBe('function')
    expect(typeof label.set).toBe('function')
    expect(Object.getOwnPropertyDescriptor(proto, 'speed')!.enumerable).toBe(false)
    expect(Object.keys(ship)).toEqual(['hp'])
  })
})
