import 'reflect-metadata'
import { MapSchema, Schema, type } from '@colyseus/schema'
import { afterAll, describe, expect, test } from 'vitest'
import { ErrorCodes } from '../../src/index.ts'
import { scenario } from '../helpers/scenario.ts'
import { layoutChange } from '../../src/core/layout.ts'

// Each function is one evaluation of a module: a new class object per call, as a swap gives.
// `declare` keeps these fields out of the class body under define semantics (the repo's tsconfig);
// the decorators alone declare the layout, as in a project with useDefineForClassFields: false.

const playerV1 = () => {
  class Player extends Schema {
    @type('string') declare name: string
    @type('number') declare x: number
    describe(): string {
      return `${this.name} at ${this.x}`
    }
  }
  return Player
}

const playerMethodEdited = () => {
  class Player extends Schema {
    @type('string') declare name: string
    @type('number') declare x: number
    describe(): string {
      return `${this.name} is at ${this.x}!`
    }
    shout(): string {
      return this.name.toUpperCase()
    }
  }
  return Player
}

const playerWithTitle = () => {
  class Player extends Schema {
    @type('string') declare name: string
    @type('number') declare x: number
    @type('string') declare title: string
  }
  return Player
}

const playerXAsString = () => {
  class Player extends Schema {
    @type('string') declare name: string
    @type('string') declare x: string
  }
  return Player
}

const playerWithoutX = () => {
  class Player extends Schema {
    @type('string') declare name: string
  }
  return Player
}

const playerReordered = () => {
  class Player extends Schema {
    @type('number') declare x: number
    @type('string') declare name: string
  }
  return Player
}

const arena = (Player: typeof Schema, kind: 'map' | 'array' = 'map') => {
  class Arena extends Schema {
    @type(kind === 'map' ? { map: Player } : [Player]) declare players: MapSchema
  }
  return Arena
}

const Column = (): PropertyDecorator => (target, key) => Reflect.defineMetadata('orm:column', { key }, target, key)
const Tag =
  (value: string): MethodDecorator =>
  (target, key) =>
    Reflect.defineMetadata('tag', value, target, key)

const rowV1 = () => {
  class Row {
    @Column() declare id: number
    @Column() declare title: string
    @Tag('v1') save(): void {}
  }
  return Row
}

const rowTitleAsNumber = () => {
  class Row {
    @Column() declare id: number
    @Column() declare title: number
    @Tag('v1') save(): void {}
  }
  return Row
}

const rowWithoutTitle = () => {
  class Row {
    @Column() declare id: number
    @Tag('v1') save(): void {}
  }
  return Row
}

const rowMethodTagged = () => {
  class Row {
    @Column() declare id: number
    @Column() declare title: string
    @Tag('v2') save(): void {}
  }
  return Row
}

class Plain {
  hp = 1
}
class PlainEdited {
  hp = 'one'
  extra = 2
}

describe('layoutChange on @colyseus/schema classes', () => {
  test('an edit of methods only (bodies, a new method) is no layout change', () => {
    expect(layoutChange(playerV1(), playerV1())).toBeUndefined()
    expect(layoutChange(playerV1(), playerMethodEdited())).toBeUndefined()
  })

  test('a @type() field added, retyped, removed or moved is a layout change, named by field', () => {
    expect(layoutChange(playerV1(), playerWithTitle())).toEqual({
      name: 'Player',
      differences: ['field title added', 'design:type of title added'],
    })
    expect(layoutChange(playerV1(), playerXAsString())?.differences).toContain('field x changed')
    expect(layoutChange(playerV1(), playerWithoutX())?.differences).toContain('field x removed')
    expect(layoutChange(playerV1(), playerReordered())?.differences).toEqual(
      expect.arrayContaining(['field x moved', 'field name moved']),
    )
  })

  test('a field whose type is a schema class compares that class by name, not by identity', () => {
    // Each evaluation of the module defines its own Player: the same layout.
    expect(layoutChange(arena(playerV1()), arena(playerV1()))).toBeUndefined()
    expect(layoutChange(arena(playerV1()), arena(playerV1(), 'array'))?.differences).toEqual(['field players changed'])
  })

  test('classes without decorator metadata have no layout to change', () => {
    expect(layoutChange(Plain, PlainEdited)).toBeUndefined()
  })
})

describe('layoutChange on reflect-metadata fields', () => {
  test('a field decorator whose emitted design:type changes is a layout change', () => {
    // Nothing on the prototype names `title`: the caller passes the declared fields it knows.
    expect(layoutChange(rowV1(), rowTitleAsNumber())).toBeUndefined()
    expect(layoutChange(rowV1(), rowTitleAsNumber(), ['id', 'title'])).toEqual({
      name: 'Row',
      differences: ['design:type of title changed'],
    })
  })

  test('a decorated field added or removed is found from the declared fields', () => {
    expect(layoutChange(rowWithoutTitle(), rowV1(), ['id', 'title'])?.differences.toSorted()).toEqual([
      'design:type of title added',
      'orm:column of title added',
    ])
    expect(layoutChange(rowV1(), rowWithoutTitle(), ['id', 'title'])?.differences).toContain(
      'orm:column of title removed',
    )
  })

  test("a method's metadata is not layout, even when the caller lists the method", () => {
    expect(layoutChange(rowV1(), rowMethodTagged(), ['id', 'title', 'save'])).toBeUndefined()
  })
})

describe('a swap that changes a live Schema layout is refused, and the old version keeps running', () => {
  const s = scenario('layout')
  afterAll(() => s.cleanup())
  const player = (fields: string, says: string) => `
import { reloadable } from 'HOTCLASS'
import { Schema, type } from '@colyseus/schema'
@reloadable()
export class LivePlayer extends Schema {
  @type('string') declare name: string
  ${fields}
  says(): string { return '${says}' }
}`

  test('a method edit swaps; an added @type() field is HOTCLASS_LAYOUT_CHANGED with a restart hint', async () => {
    s.write('player.ts', player('', 'v1'))
    const { LivePlayer } = await s.load<any>('player.ts')
    const p = new LivePlayer()
    p.name = 'ann'
    const edited = await s.swap('player.ts', player('', 'v2'))
    expect(edited.ok, edited.error?.message).toBe(true)
    expect(p.says()).toBe('v2')
    const before = Object.getOwnPropertyDescriptor(LivePlayer, Symbol.metadata ?? Symbol.for('Symbol.metadata'))
    const refused = await s.swap('player.ts', player(`@type('string') declare title: string`, 'v3'))
    expect(refused.ok).toBe(false)
    expect(refused.error?.code).toBe(ErrorCodes.LAYOUT_CHANGED)
    expect(refused.error?.message).toMatch(/title/)
    expect(refused.error?.hint).toMatch(/Restart/)
    expect(p.says()).toBe('v2')
    expect(Object.getOwnPropertyDescriptor(LivePlayer, Symbol.metadata ?? Symbol.for('Symbol.metadata'))).toEqual(
      before,
    )
    expect(p.name).toBe('ann')
  })
})
