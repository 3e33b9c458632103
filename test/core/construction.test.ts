import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { scenario } from '../helpers/scenario.ts'

const s = scenario('construction')
afterAll(() => s.cleanup())

describe('instances made after a swap run the new constructor and field initialisers', () => {
  let Turret: any
  let old: any
  beforeAll(async () => {
    s.write(
      'turret.ts',
      `import { reloadable } from 'HOTCLASS'
      @reloadable()
      export class Turret {
        ammo = 5
        constructor(public range: number) {}
      }`,
    )
    ;({ Turret } = await s.load('turret.ts'))
    old = new Turret(3)
    const report = await s.swap(
      'turret.ts',
      `import { reloadable } from 'HOTCLASS'
      @reloadable()
      export class Turret {
        ammo = 50
        heat = 0
        range: number
        constructor(range: number) { this.range = range * 10 }
      }`,
    )
    expect(report.ok).toBe(true)
  })

  test('new instances use the new constructor and initialisers', () => {
    const fresh = new Turret(3)
    expect(fresh.range).toBe(30)
    expect(fresh.ammo).toBe(50)
    expect(fresh.heat).toBe(0)
    expect(Object.getPrototypeOf(fresh)).toBe(Turret.prototype)
  })

  test('old instances keep the state their constructor gave them', () => {
    expect(old.range).toBe(3)
    expect(old.ammo).toBe(5)
  })

  test('calling the class without new throws a TypeError, as a class would', () => {
    expect(() => Turret(1)).toThrow(TypeError)
  })

  test('a plain subclass constructs through the canonical class with new.target passed on', () => {
    class Sentry extends Turret {
      kind = 'sentry'
      constructor() {
        super(1)
      }
    }
    const sentry = new Sentry()
    expect(sentry).toBeInstanceOf(Sentry)
    expect(sentry).toBeInstanceOf(Turret)
    expect(sentry.range).toBe(10)
    expect(sentry.kind).toBe('sentry')
  })
})

describe('each reloadable class constructs through a trampoline compiled for it', () => {
  test('two classes get trampolines of their own (their own V8 feedback), tracked or not', async () => {
    // A trampoline shared by every class cost a site that builds several classes 1.5x (all of them fed one
    // construct site); a failure to compile them would fall back to that silently, so it shows only here.
    s.write(
      'kinds.ts',
      `import { reloadable } from 'HOTCLASS'
      @reloadable() export class Orc { hp = 3 }
      @reloadable({ track: false }) export class Elf { hp = 2 }`,
    )
    const { Orc, Elf } = await s.load<any>('kinds.ts')
    const orc = Function.prototype.toString.call(Orc)
    const elf = Function.prototype.toString.call(Elf)
    expect(orc).toMatch(/\/\* trampoline \d+ \*\//)
    expect(elf).toMatch(/\/\* trampoline \d+ \*\//)
    expect(orc).not.toBe(elf)
    expect([new Orc().hp, new Elf().hp]).toEqual([3, 2])
  })
})
