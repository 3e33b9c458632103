import 'reflect-metadata'
import { afterAll, describe, expect, test } from 'vitest'
import { classInfo, ErrorCodes, rollback, swapModules } from '../../src/index.ts'
import { fingerprint } from '../helpers/fingerprint.ts'
import { scenario } from '../helpers/scenario.ts'

/**
 * The fidelity promise, one category at a time, as real v1 -> v2 modules: after swaps, what the program
 * observes is what a cold load of the final source gives (except kept state), and the class body sees
 * the live class from its first static initialiser on.
 */

const s = scenario('fidelity')
afterAll(() => s.cleanup())

describe('the class body sees the live class', () => {
  const game = (step: number) => `
import { reloadable } from 'HOTCLASS'
export const registry = new Map<string, unknown>()
@reloadable()
export class Game {
  static readonly instance = new Game()
  static create = () => new this()
  static #made = 0
  static accessor level = 1
  static { registry.set('game', this) }
  score = 0
  add(): number { return (this.score += ${step}) }
  static next(): number { return ++Game.#made }
}`

  test('a singleton built in a static initialiser is a live object and runs swapped code', async () => {
    s.write('game.ts', game(1))
    const { Game, registry } = await s.load<any>('game.ts')
    expect(Object.getPrototypeOf(Game.instance)).toBe(Game.prototype)
    expect(Game.create()).toBeInstanceOf(Game)
    expect(Object.getPrototypeOf(Game.create())).toBe(Game.prototype)
    expect(registry.get('game')).toBe(Game)
    expect(Game.next()).toBe(1)
    expect(Game.next()).toBe(2)
    expect(Game.level).toBe(1)
    Game.level = 5
    Game.instance.add()
    const report = await s.swap('game.ts', game(10))
    expect(report.ok, report.error?.message).toBe(true)
    expect(Game.instance.add()).toBe(11)
    // `static #made` and `static accessor` are state: their unedited declarations keep counting.
    expect(Game.next()).toBe(3)
    expect(Game.level).toBe(5)
  })

  test('a static initialiser that builds another class sees the live one', async () => {
    const vec = (n: number) => `
import { reloadable } from 'HOTCLASS'
@reloadable()
export class Vec {
  static ORIGIN = new Vec(0, 0)
  constructor(public x: number, public y: number) {}
  len(): number { return ${n} * Math.hypot(this.x, this.y) }
}`
    s.write('vec.ts', vec(1))
    const { Vec } = await s.load<any>('vec.ts')
    expect(Vec.ORIGIN).toBeInstanceOf(Vec)
    const origin = Vec.ORIGIN
    await s.swap('vec.ts', vec(2))
    expect(Vec.ORIGIN).toBe(origin) // unedited declaration: the same object, running new code
    expect(new Vec(3, 4).len()).toBe(10)
  })
})

describe('super in a static initialiser or block acts on the live class', () => {
  test('static { super.register() } registers the live subclass', async () => {
    s.write(
      'reg.ts',
      `import { reloadable } from 'HOTCLASS'
export class Registry { static all: unknown[] = []; static register(): void { Registry.all.push(this) } static tag(): string { return 'tag:' + this.name } }
@reloadable()
export class Plugin extends Registry { static label = super.tag(); static { super.register() } }`,
    )
    const { Plugin, Registry } = await s.load<any>('reg.ts')
    expect(Registry.all).toEqual([Plugin])
    expect(Plugin.label).toBe('tag:Plugin')
  })
})

describe('static data of any type keeps its runtime value while its declaration is unedited', () => {
  const table = (extra: string) => `
import { reloadable } from 'HOTCLASS'
class Pool { items: number[] = [] }
@reloadable()
export class Store {
  static byId = new Map<string, number>()
  static tags = new Set<string>()
  static pool = new Pool()
  static onEvent: (e: string) => string = (e) => 'default ' + e
  static ${extra}
}`
  test('a Map, a Set, a class instance and a replaced hook survive a swap of an unrelated member', async () => {
    s.write('store.ts', table('version = 1'))
    const { Store } = await s.load<any>('store.ts')
    Store.byId.set('a', 1)
    Store.tags.add('x')
    Store.pool.items.push(7)
    const pool = Store.pool
    Store.onEvent = (e: string) => 'game ' + e
    const report = await s.swap('store.ts', table('version = 2'))
    expect(report.ok, report.error?.message).toBe(true)
    expect(report.classes[0]!.changed).toEqual(['static version'])
    expect(Store.byId.get('a')).toBe(1)
    expect(Store.tags.has('x')).toBe(true)
    expect(Store.pool).toBe(pool)
    expect(Store.onEvent('hit')).toBe('game hit')
    expect(Store.version).toBe(2)
  })
})

describe('code that runs while a swap evaluates sees the new classes', () => {
  test('a top-level construction and a top-level static call use the version just defined', async () => {
    const unit = (n: number, power: number) => `
import { reloadable } from 'HOTCLASS'
export const log: number[] = []
@reloadable()
export class Unit {
  static register(): void { log.push(${n}) }
  power = 0
  constructor(p: number) { this.power = p * ${n} }
}
Unit.register()
export const boss = new Unit(${power})`
    s.write('unit.ts', unit(1, 2))
    const mod = await s.load<any>('unit.ts')
    expect(mod.boss.power).toBe(2)
    const report = await s.swap('unit.ts', unit(100, 3))
    expect(report.ok, report.error?.message).toBe(true)
    expect(mod.log).toEqual([1, 100])
    expect(mod.boss.power).toBe(300)
    expect(mod.boss).toBeInstanceOf(mod.Unit)
  })

  test('swapModules([base, sub]): the subclass body sees the new base', async () => {
    const base = (n: number) => `
import { reloadable } from 'HOTCLASS'
@reloadable()
export class Base { static make(): number { return ${n} } }`
    const sub = (tag: string) => `
import { reloadable } from 'HOTCLASS'
import { Base } from './base.ts'
@reloadable()
export class Sub extends Base { static val = Base.make() * 100; static tag = '${tag}' }`
    s.write('base.ts', base(1))
    s.write('sub.ts', sub('a'))
    const { Sub } = await s.load<any>('sub.ts')
    expect(Sub.val).toBe(100)
    s.write('base.ts', base(2))
    s.write('sub.ts', sub('a').replace('* 100', '* 1000'))
    const report = await swapModules([s.path('base.ts'), s.path('sub.ts')])
    expect(report.ok, report.error?.message).toBe(true)
    expect(Sub.val).toBe(2000)
  })
})

describe('a failed swap leaves every class exactly as it was', () => {
  const svc = (meta: string, body: string) => `
import 'reflect-metadata'
import { reloadable } from 'HOTCLASS'
@Reflect.metadata('di', '${meta}')
@reloadable()
export class Service { get(): string { return 'v' } ${body} }`

  test('an outer decorator of a failing version leaves nothing; of a good one, it stays', async () => {
    s.write('svc.ts', svc('svc1', ''))
    const { Service } = await s.load<any>('svc.ts')
    expect(Reflect.getMetadata('di', Service)).toBe('svc1')
    const before = fingerprint(Service)
    const failed = await s.swap('svc.ts', svc('svc2', '') + `\nthrow new Error('boom')`)
    expect(failed.ok).toBe(false)
    expect(fingerprint(Service)).toEqual(before)
    expect(Reflect.getMetadata('di', Service)).toBe('svc1')
    const good = await s.swap('svc.ts', svc('svc3', 'other(): number { return 1 }'))
    expect(good.ok).toBe(true)
    expect(Reflect.getMetadata('di', Service)).toBe('svc3')
    expect(new Service().other()).toBe(1)
  })

  test('a module that throws after its class was made live puts the class back: members, statics, links', async () => {
    const unit = (n: number, tail = '') => `
import { reloadable } from 'HOTCLASS'
@reloadable()
export class Tank { static armor = ${n}; hit(): number { return ${n} } }
${tail}`
    s.write('tank.ts', unit(1))
    const { Tank } = await s.load<any>('tank.ts')
    const t = new Tank()
    const before = fingerprint(Tank)
    const report = await s.swap('tank.ts', unit(2, `if (Tank.armor === 2) throw new Error('after the class')`))
    expect(report.ok).toBe(false)
    expect(report.error?.code).toBe(ErrorCodes.LOAD_FAILED)
    expect(fingerprint(Tank)).toEqual(before)
    expect(t.hit()).toBe(1)
    expect(classInfo(Tank)?.version).toBe(1)
  })
})

describe('a swap covers only the modules it imports', () => {
  test('a module imported for the first time while a swap awaits is not undone when the swap fails', async () => {
    const slow = (n: number, tail: string) => `
import { reloadable } from 'HOTCLASS'
@reloadable() export class Slow { v(): number { return ${n} } }
${tail}`
    s.write('slow.ts', slow(1, ''))
    const { Slow } = await s.load<any>('slow.ts')
    let open!: () => void
    const gate = new Promise<void>((resolve) => (open = resolve))
    let reached!: () => void
    const waiting = new Promise<void>((resolve) => (reached = resolve))
    Object.assign(globalThis, { __fidelityGate: gate, __fidelityReached: reached })
    const swap = s.swap(
      'slow.ts',
      slow(
        2,
        `(globalThis as any).__fidelityReached(); await (globalThis as any).__fidelityGate; throw new Error('late')`,
      ),
    )
    await waiting
    // Meanwhile a scene loader imports a module nobody loaded yet.
    s.write(
      'lazy.ts',
      `import { reloadable } from 'HOTCLASS'\n@reloadable() export class Lazy { hi(): string { return 'hi' } }`,
    )
    const { Lazy } = await s.load<any>('lazy.ts')
    open()
    const report = await swap
    expect(report.ok).toBe(false)
    expect(new Slow().v()).toBe(1)
    expect(classInfo(Lazy)?.name).toBe('Lazy')
    expect(new Lazy().hi()).toBe('hi')
  })
})

describe('keys and identity', () => {
  test('two anonymous class expressions in one module stay two classes', async () => {
    const mod = (n: number) => `
import { reloadable } from 'HOTCLASS'
export const Red = reloadable()(class { color(): string { return 'red${n}' } })
export const Blue = reloadable()(class { color(): string { return 'blue${n}' } })`
    s.write('colors.ts', mod(1))
    const { Red, Blue } = await s.load<any>('colors.ts')
    expect(Red).not.toBe(Blue)
    const r = new Red()
    const b = new Blue()
    await s.swap('colors.ts', mod(2))
    expect(r.color()).toBe('red2')
    expect(b.color()).toBe('blue2')
  })

  test('a plain class next to a reloadable one keeps its identity while its text is unchanged', async () => {
    const mod = (n: number, vec = 'x = 0') => `
import { reloadable } from 'HOTCLASS'
export class Vec2 { ${vec} }
class Hidden { y = 1 }
@reloadable() export class Mover { pos = new Vec2(); h = new Hidden(); step(): number { return ${n} } }`
    s.write('mover.ts', mod(1))
    const m = await s.load<any>('mover.ts')
    const { Vec2, Mover } = m
    const mover = new Mover()
    const report = await s.swap('mover.ts', mod(2))
    expect(report.ok, report.error?.message).toBe(true)
    expect(m.Vec2).toBe(Vec2)
    expect(new Mover().pos).toBeInstanceOf(Vec2)
    expect(mover.step()).toBe(2)
    await s.swap('mover.ts', mod(2, 'x = 5'))
    expect(m.Vec2).not.toBe(Vec2) // edited: a new class, which importers see
    expect(new m.Vec2().x).toBe(5)
  })

  test('a removed class is reported; the constructor length follows the new constructor', async () => {
    const two = `
import { reloadable } from 'HOTCLASS'
@reloadable() export class Keep { constructor(a: number) { void a } }
@reloadable() export class Gone {}`
    s.write('keys.ts', two)
    const { Keep } = await s.load<any>('keys.ts')
    expect(Keep.length).toBe(1)
    const report = await s.swap(
      'keys.ts',
      `import { reloadable } from 'HOTCLASS'
@reloadable() export class Keep { constructor(a: number, b: number) { void a; void b } }`,
    )
    expect(report.ok, report.error?.message).toBe(true)
    expect(report.classes.find((c) => c.name === 'Gone')?.isRemoved).toBe(true)
    expect(Keep.length).toBe(2)
  })
})

describe('no false refusals', () => {
  test("'#fff' and /#version \\d+/ in a method are not #private members", async () => {
    const paint = (n: number) => `
import { reloadable } from 'HOTCLASS'
@reloadable()
export class Paint {
  color(): string { return '#fff' + ${n} }
  parse(s: string): boolean { return /#version \\d+/.test(s) }
}`
    s.write('paint.ts', paint(1))
    const { Paint } = await s.load<any>('paint.ts')
    const report = await s.swap('paint.ts', paint(2))
    expect(report.ok, report.error?.message).toBe(true)
    expect(new Paint().color()).toBe('#fff2')
  })

  test('instance #private members are refused with the module and a hint; `accessor` is named as written', async () => {
    const vault = (body: string) => `
import { reloadable } from 'HOTCLASS'
@reloadable()
export class Vault { ${body} }`
    s.write('vault.ts', vault('open(): number { return 1 }'))
    await s.load<any>('vault.ts')
    const report = await s.swap('vault.ts', vault('accessor gold = 1; #key = 2; open(): number { return this.#key }'))
    expect(report.ok).toBe(false)
    expect(report.error?.code).toBe(ErrorCodes.PRIVATE_MEMBERS)
    expect(report.error?.message).toMatch(/accessor gold/)
    expect(report.error?.message).toMatch(/#key/)
    expect(report.error?.message).toMatch(/vault\.ts/)
  })

  test('a non-configurable property the game defined on a prototype does not block later swaps', async () => {
    const gun = (n: number) => `
import { reloadable } from 'HOTCLASS'
@reloadable()
export class Gun { fire(): number { return ${n} } }`
    s.write('gun.ts', gun(1))
    const { Gun } = await s.load<any>('gun.ts')
    Object.defineProperty(Gun.prototype, 'serial', { value: 42, configurable: false })
    const report = await s.swap('gun.ts', gun(2))
    expect(report.ok, report.error?.message).toBe(true)
    expect(new Gun().fire()).toBe(2)
    expect(report.classes[0]!.warnings.join('\n')).toMatch(/serial is non-configurable/)
  })

  test('editing a frozen data export loads and takes the new value', async () => {
    const cfg = (n: number) => `export const CONFIG = Object.freeze({ speed: ${n} })
import { reloadable } from 'HOTCLASS'
@reloadable() export class Car { speed(): number { return CONFIG.speed } }`
    s.write('car.ts', cfg(1))
    const { Car } = await s.load<any>('car.ts')
    const report = await s.swap('car.ts', cfg(2))
    expect(report.ok, report.error?.message).toBe(true)
    expect(new Car().speed()).toBe(2)
  })
})

describe('a throwing migrate is undone, nested data included', () => {
  test('a migrate that changed nested objects, arrays and maps and then threw leaves them as they were', async () => {
    const inv = (n: number, migrate: string) => `
import { reloadable } from 'HOTCLASS'
@reloadable({ migrate: (o: any) => { ${migrate} } })
export class Inventory {
  bag = { gold: 1, items: ['sword'] }
  tags = new Map([['a', 1]])
  count(): number { return ${n} }
}`
    s.write('inv.ts', inv(1, ''))
    const { Inventory } = await s.load<any>('inv.ts')
    const i = new Inventory()
    const bag = i.bag
    const report = await s.swap(
      'inv.ts',
      inv(
        2,
        `o.bag.gold = 99; o.bag.items.push('shield'); o.tags.set('b', 2); o.extra = 1; throw new Error('half-way')`,
      ),
    )
    expect(report.ok).toBe(false)
    expect(report.error?.code).toBe(ErrorCodes.MIGRATION_FAILED)
    expect(i.bag).toBe(bag)
    expect(i.bag).toEqual({ gold: 1, items: ['sword'] })
    expect([...i.tags]).toEqual([['a', 1]])
    expect('extra' in i).toBe(false)
    expect(i.count()).toBe(1)
  })
})

describe('rollback restores the exact state before the swap', () => {
  test('a prototype member the game patched at run time comes back; kept static state stays', async () => {
    const bot = (n: number) => `
import { reloadable } from 'HOTCLASS'
@reloadable()
export class Bot { static kills = 0; think(): number { return ${n} } }`
    s.write('bot.ts', bot(1))
    const { Bot } = await s.load<any>('bot.ts')
    const patched = function (): number {
      return 99
    }
    Bot.prototype.think = patched
    Bot.kills = 3
    await s.swap('bot.ts', bot(2))
    expect(new Bot().think()).toBe(2)
    Bot.kills = 4
    const report = await rollback()
    expect(report.ok).toBe(true)
    expect(Bot.prototype.think).toBe(patched)
    expect(Bot.kills).toBe(4)
  })
})
