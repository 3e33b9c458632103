import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { harness } from './harness.ts'
import type { Harness } from './harness.ts'

let h: Harness
beforeAll(async () => {
  h = await harness('fields')
})
afterAll(() => h.close())

const unit = (fields: string, opts = '') => `
import { reloadable } from 'hotclass'
let made = 0
@reloadable(${opts})
export class Unit {
  ${fields}
  constructor() { made++ }
}
export function count() { return made }
`

const buttonModule = (opts: string, body: string) => unit(`n = 1\n  onClick = () => ${body}`, opts)

describe('added fields become own properties of live instances, as a fresh object of the final version has them', () => {
  test('an initialiser runs with `this` bound to each live instance at the swap; the field is appended after the old ones', async () => {
    h.write('unit.ts', unit('hp = 10'))
    const { Unit } = await h.load('unit.ts')
    const a = new Unit()
    const b = new Unit()
    a.hp = 4
    const frozen = Object.freeze(new Unit())
    const report = await h.swap('unit.ts', unit(`hp = 10\n  shield = this.hp * 2\n  label = 'unit'`))
    expect(report.ok).toBe(true)
    const change = report.classes[0]!
    expect(change.added).toEqual(expect.arrayContaining(['field shield', 'field label']))
    expect(Object.keys(a)).toEqual(['hp', 'shield', 'label'])
    expect(JSON.stringify(a)).toBe('{"hp":4,"shield":8,"label":"unit"}')
    expect({ ...b }).toEqual({ hp: 10, shield: 20, label: 'unit' })
    expect(structuredClone(b)).toEqual({ hp: 10, shield: 20, label: 'unit' })
    // Nothing on the prototype: deleting the own property leaves nothing behind, as on a fresh object.
    delete b.label
    expect(b.label).toBeUndefined()
    expect(Object.getOwnPropertyNames(Unit.prototype)).toEqual(['constructor'])
    // A frozen instance cannot get the field: it reads undefined, never throws, and the report says so.
    expect(frozen.shield).toBeUndefined()
    expect(change.warnings.join('\n')).toMatch(/frozen or sealed/)
    // Instances made by the new version get the field from their own constructor.
    const c = new Unit()
    expect(Object.getOwnPropertyNames(c)).toEqual(['hp', 'shield', 'label'])

    const removed = await h.swap('unit.ts', unit(`hp = 10\n  shield = this.hp * 2`))
    expect(removed.classes[0]!.removed).toEqual(['field label'])
    const edited = await h.swap('unit.ts', unit(`hp = 12\n  shield = this.hp * 2`))
    expect(edited.classes[0]!.changed).toEqual(['field hp'])
    expect(a.hp).toBe(4)
  })

  test('initialisers that read module state read the shared cell, at the time of the swap', async () => {
    h.write('scaled.ts', unit('hp = 10'))
    const { Unit, count } = await h.load('scaled.ts')
    const first = new Unit()
    await h.swap('scaled.ts', unit('hp = 10\n  serial = made'))
    expect(first.serial).toBe(1)
    const second = new Unit()
    expect(count()).toBe(2)
    expect(second.serial).toBe(1) // its own initialiser ran in its constructor, before `made++`
  })

  test('an untracked class gives live instances nothing and names the fields they did not get', async () => {
    h.write('particle.ts', unit('hp = 10', '{ track: false }'))
    const { Unit } = await h.load('particle.ts')
    const p = new Unit()
    const report = await h.swap('particle.ts', unit('hp = 10\n  glow = 1', '{ track: false }'))
    expect(p.glow).toBeUndefined()
    expect(report.classes[0]!.warnings.join('\n')).toMatch(/did not get the added field glow/)
  })
})

describe('arrow-function fields: re-created on tracked instances, reported where they cannot be', () => {
  test('a tracked class re-creates the changed arrow on every live instance', async () => {
    h.write('tracked.ts', buttonModule('{ track: true }', 'this.n + 1'))
    const { Unit } = await h.load('tracked.ts')
    const b = new Unit()
    const held = b.onClick
    const report = await h.swap('tracked.ts', buttonModule('{ track: true }', 'this.n + 100'))
    expect(report.classes[0]!.warnings).toEqual([])
    expect(b.onClick()).toBe(101)
    // A reference taken before the swap is the same function, running the new body: an emitter that
    // was given it calls the new code, and `off(evt, b.onClick)` still finds it.
    expect(held).toBe(b.onClick)
    expect(held()).toBe(101)
  })

  test('an untracked class: the arrow field of a live instance catches up on its next call, held or not', async () => {
    h.write('untracked.ts', buttonModule('{ track: false }', 'this.n + 1'))
    const { Unit } = await h.load('untracked.ts')
    const b = new Unit()
    const held = b.onClick
    const report = await h.swap('untracked.ts', buttonModule('{ track: false }', 'this.n + 100'))
    expect(report.classes[0]!.warnings.join('\n')).not.toMatch(/onClick is an arrow-function field/)
    expect(held()).toBe(101)
    expect(b.onClick).toBe(held)
    expect(b.onClick()).toBe(101)
    expect(new Unit().onClick()).toBe(101)
    // A rollback takes it back the same way.
    expect((await h.core.rollback()).ok).toBe(true)
    expect(held()).toBe(2)
  })
})

describe('a class that makes objects by the hundred thousand stops being tracked, and says so', () => {
  test('after a burst of constructions far above 20,000 a second, a swap names the fields live instances did not get', async () => {
    h.write('spark.ts', unit('hp = 10'))
    const { Unit } = await h.load('spark.ts')
    const keep: object[] = []
    // A particle system's burst: 200,000 objects in one task (far faster than the cut-off on any machine).
    for (let i = 0; i < 200_000; i++) {
      const o = new Unit()
      if (i % 1000 === 0) keep.push(o)
    }
    const report = await h.swap('spark.ts', unit('hp = 10\n  glow = 1'))
    expect(report.ok).toBe(true)
    expect(report.classes[0]!.warnings.join('\n')).toMatch(/tracking stopped because the class makes objects faster/)
  })
})
