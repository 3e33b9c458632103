import 'reflect-metadata'
import { describe, expect, it } from 'vitest'
import { configure, rollback, swapModules } from '../../src/index.ts'
import { fingerprint } from '../helpers/fingerprint.ts'
import { attempt, differential, fnInfo, production, H, LEGACY, MODES } from '../helpers/redteam.ts'
import { scenario } from '../helpers/scenario.ts'

/**
 * Round 3 of the held-out suite: scenarios that pass on this branch (dff8c31), each asserting an oracle
 * (swapped == cold load of the final source; cold hotclass == decorator inert) and the value it expects.
 * Those that fail are in redteam3-failing.test.ts.txt.
 */

const LIB = `
export class Ticker {
  listeners: Array<[Function, unknown]> = []
  add(fn: Function, ctx?: unknown): this { this.listeners.push([fn, ctx]); return this }
  tick(): unknown[] { return this.listeners.map(([f, c]) => f.call(c, 16)) }
}`

describe('statics that follow the declarations they read', () => {
  it('a static from a TS enum member follows an edit of the enum', async () => {
    const v = (a: number) => `${H}
export enum Speed { Slow = ${a}, Fast = 10 }
@reloadable() export class C { static S = Speed.Slow; s(): number { return Speed.Slow } }`
    const r = await differential('r3-enum', {
      versions: [{ 'm.ts': v(1) }, { 'm.ts': v(5) }],
      entry: 'm.ts',
      observe: (m) => [m.Speed.Slow, m.C.S, new m.C().s()],
    })
    expect(r.hot).toEqual([5, 5, 5])
  })

  it('a computed static key whose module constant is edited moves to the new key', async () => {
    const v = (k: string) => `${H}
const KEY = '${k}'
@reloadable() export class C { static [KEY] = 5 }`
    const r = await differential('r3-computed-key', {
      versions: [{ 'm.ts': v('a') }, { 'm.ts': v('b') }],
      entry: 'm.ts',
      observe: (m) => [Object.keys(m.C), m.C.a, m.C.b],
    })
    expect(r.hot).toEqual([['b'], undefined, 5])
  })

  it('a static changed at run time is kept when only a neighbour in its declaration list is edited', async () => {
    const v = (a: number) => `${H}
const A = ${a}, B = 2
void A
@reloadable() export class C { static S = B }`
    const r = await differential('r3-multi-declarator', {
      versions: [{ 'm.ts': v(1) }, { 'm.ts': v(5) }],
      entry: 'm.ts',
      setup: (m) => {
        m.C.S = 99
      },
      observe: (m) => m.C.S,
    })
    expect(r.hot).toBe(99)
  })

  it('statics reading a module constant through an IIFE, a shorthand and a member of a data export', async () => {
    const v = (a: number) => `${H}
const speed = ${a}
export const TUNING = { hp: ${a} * 3 }
@reloadable() export class C { static S = (() => speed * 3)(); static T = { speed }; static U = TUNING.hp }`
    const r = await differential('r3-module-const-shapes', {
      versions: [{ 'm.ts': v(1) }, { 'm.ts': v(5) }],
      entry: 'm.ts',
      observe: (m) => [m.C.S, m.C.T, m.C.U],
    })
    expect(r.hot).toEqual([15, { speed: 5 }, 15])
  })

  for (const [mode, extra] of MODES)
    it(`a static reading a module constant directly (${mode} fields)`, async () => {
      const v = (a: number) => `${H}
const BASE = ${a}
@reloadable() export class C { static S = BASE * 2 }`
      const r = await differential(`r3-direct-${mode}`, {
        extra,
        versions: [{ 'm.ts': v(1) }, { 'm.ts': v(5) }],
        entry: 'm.ts',
        observe: (m) => m.C.S,
      })
      expect(r.hot).toBe(10)
    })

  it('a class expression passed to reloadable() and a static block follow a module constant', async () => {
    const v = (a: number) => `${H}
const BASE = ${a}
export const Red = reloadable()(class { static S = BASE * 2 })
@reloadable() export class C { static S: number; static { this.S = BASE * 3 } }`
    const r = await differential('r3-expr-block', {
      versions: [{ 'm.ts': v(1) }, { 'm.ts': v(5) }],
      entry: 'm.ts',
      observe: (m) => [m.Red.S, m.C.S],
    })
    expect(r.hot).toEqual([10, 15])
  })
})

describe('class decorators', () => {
  it('design:paramtypes follows a change of constructor parameter types only (legacy fields)', async () => {
    const v = (params: string) => `${H}import 'reflect-metadata'
export class Foo {}
export class Bar {}
const inject = (): ClassDecorator => () => {}
@reloadable() @inject() export class Svc { constructor(${params}) {} }
@reloadable() export class Bare { constructor(${params}) {} }`
    const names = (c: Function) =>
      (Reflect.getMetadata('design:paramtypes', c) ?? ['none']).map((t: any) => t.name ?? t)
    const r = await differential('r3-paramtypes', {
      extra: LEGACY,
      versions: [{ 'm.ts': v('public a: Foo') }, { 'm.ts': v('') }, { 'm.ts': v('public a: Bar, b: Foo') }],
      entry: 'm.ts',
      observe: (m) => [names(m.Svc), names(m.Bare), m.Svc.length],
    })
    expect(r.hot).toEqual([['Bar', 'Foo'], ['Bar', 'Foo'], 2])
  })

  it('an @entity registration above @reloadable() with a duplicate check survives swaps', async () => {
    const v = (n: number) => `${H}
export const registry = new Map<string, Function>()
const entity = (name: string) => (c: Function): void => { if (registry.has(name)) throw new Error('dup ' + name); registry.set(name, c) }
@entity('hero') @reloadable() export class Hero { hp(): number { return ${n} } }`
    const r = await differential('r3-entity', {
      versions: [{ 'm.ts': v(1) }, { 'm.ts': v(2) }, { 'm.ts': v(3) }],
      entry: 'm.ts',
      observe: (m) => [[...m.registry.keys()], m.registry.get('hero') === m.Hero, new (m.registry.get('hero'))().hp()],
    })
    expect(r.hot).toEqual([['hero'], true, 3])
  })

  it('metadata and statics across method edit, decorator edit, and three rollbacks', async () => {
    const v = (k: number, n: number) => `${H}import 'reflect-metadata'
@reloadable() @Reflect.metadata('k', ${k}) export class A { static S = ${k}; m(): number { return ${n} } }`
    const s = scenario('r3-deco-rollbacks')
    try {
      s.write('a.ts', v(1, 1))
      const m: any = await s.load('a.ts')
      const look = () => [Reflect.getMetadata('k', m.A), m.A.S, new m.A().m()]
      expect((await s.swap('a.ts', v(1, 2))).ok).toBe(true)
      expect((await s.swap('a.ts', v(2, 2))).ok).toBe(true)
      const out: unknown[] = [look()]
      expect((await s.swap('a.ts', v(2, 3))).ok).toBe(true)
      for (let i = 0; i < 3; i++) {
        expect((await rollback()).ok).toBe(true)
        out.push(look())
      }
      expect(out).toEqual([
        [2, 2, 2],
        [2, 2, 2],
        [1, 1, 2],
        [1, 1, 1],
      ])
    } finally {
      s.cleanup()
    }
  })

  it('a class-replacing decorator above @reloadable() keeps one class and runs once', async () => {
    const v = (n: number) => `${H}
export let made = 0
const wrap = <T extends new (...a: any[]) => any>(c: T): T => { made++; return class extends c { wrapped = true } }
@wrap @reloadable() export class A { hit(): number { return ${n} } }`
    const r = await differential('r3-wrap-above', {
      versions: [{ 'm.ts': v(1) }, { 'm.ts': v(2) }],
      entry: 'm.ts',
      setup: (m) => new m.A(),
      observe: (m, a: any) => [a.hit(), new m.A().hit(), new m.A().wrapped, m.made],
    })
    expect(r.hot).toEqual([2, 2, true, 1])
  })

  it('a decorator below @reloadable() sees name, statics and methods; an edited one sees the new static', async () => {
    const v = (t: string, n: number) => `${H}
export const seen: unknown[] = []
const note = (t: string) => (c: any): void => { seen.push([t, c.name, c.S, typeof c.prototype.m]) }
@reloadable() @note('${t}') export class A { static S = ${n}; m(): number { return ${n} } }`
    await production('r3-deco-sees', { 'm.ts': v('a', 1) }, 'm.ts', (m) => m.seen)
    const r = await differential('r3-deco-sees', {
      versions: [{ 'm.ts': v('a', 1) }, { 'm.ts': v('a', 2) }, { 'm.ts': v('b', 3) }],
      entry: 'm.ts',
      observe: (m) => [m.seen.at(-1), m.A.S],
    })
    expect(r.hot).toEqual([['b', 'A', 3, 'function'], 3])
  })

  it('a static method a kept decorator defined stays after an unrelated edit', async () => {
    const v = (n: number) => `${H}
const withCreate = (c: any): void => { c.create = function (this: any): unknown { return new this() } }
@reloadable() @withCreate export class Bird { n(): number { return ${n} } }`
    const r = await differential('r3-deco-static-method', {
      versions: [{ 'm.ts': v(1) }, { 'm.ts': v(2) }],
      entry: 'm.ts',
      observe: (m) => attempt(() => m.Bird.create().n()),
    })
    expect(r.hot).toBe(2)
  })
})

describe('destructured methods (the pick helper)', () => {
  it('a default in the pattern, and a static method destructured from the class', async () => {
    const v = (n: number) => `${H}
import { Ticker } from './lib.ts'
export const ticker = new Ticker()
const noop = (): number => -1
@reloadable() export class D {
  constructor() { const { update = noop } = this; ticker.add(update, this) }
  update(): number { return ${n} }
  static tick(): number { return ${n} * 10 }
  static start(): void { const { tick } = D; ticker.add(tick) }
}
export const make = () => new D()`
    const r = await differential('r3-pick-default', {
      versions: [{ 'lib.ts': LIB, 'd.ts': v(1) }, { 'd.ts': v(2) }],
      entry: 'd.ts',
      setup: (m) => {
        m.make()
        m.D.start()
      },
      observe: (m) => m.ticker.tick(),
    })
    expect(r.hot).toEqual([2, 20])
  })

  it('cold: rest elements, getters read once in order, a throwing getter, this in the method', async () => {
    const v = `${H}
export const log: string[] = []
@reloadable() export class D {
  hp = 3; x = 4
  update(): unknown { return this === undefined ? 'undef' : typeof this }
  pick(): unknown { const { update, ...rest } = this; return [typeof update, rest, update()] }
}
export class G { get a(): number { log.push('a'); return 1 } get update(): () => number { log.push('update'); return () => 2 } get b(): number { log.push('b'); return 3 } }
export function reads(): unknown { const { a, update, b } = new G(); const { update: u2 } = new G(); return [a, update(), b, u2(), log.slice()] }
export function throws(): unknown { const o = { get x(): number { throw new Error('x') }, get update(): number { log.push('u'); return 1 } }; try { const { x, update } = o; return [x, update] } catch (e) { return String(e) } }
export const make = () => new D()`
    const r = await production('r3-pick-cold', { 'd.ts': v }, 'd.ts', (m) => [m.make().pick(), m.reads(), m.throws()])
    expect(r.hot).toEqual([
      ['function', { hp: 3, x: 4 }, 'undef'],
      [1, 2, 3, 2, ['a', 'update', 'b', 'update']],
      'Error: x',
    ])
  })
})

describe('fields, forwarders', () => {
  for (const [mode, extra] of MODES)
    it(`arrow fields of a base and a subclass whose constructor runs code before super() (${mode})`, async () => {
      const v = (n: number) => `${H}
export const held: Function[] = []
@reloadable() export class B { onA = (): string => 'a${n}' }
@reloadable() export class S extends B { onB = (): string => 'b${n}'; constructor() { const pre = 1; super(); held.push(this.onA, this.onB); void pre } }`
      const r = await differential(`r3-super-arrows-${mode}`, {
        extra,
        versions: [{ 'm.ts': v(1) }, { 'm.ts': v(2) }],
        entry: 'm.ts',
        setup: (m) => new m.S(),
        observe: (m, s: any) => [s.onA(), s.onB(), m.held.map((f: any) => f())],
      })
      expect(r.hot).toEqual(['a2', 'b2', ['a2', 'b2']])
    })

  it('cold (define fields): arrow field keys, name and identity', async () => {
    const v = `${H}
@reloadable() export class A { x = 1; onHit = (): number => this.x; table = { go: (): number => 2 }; constructor(public y = 3) {} }
export const make = () => new A()`
    const r = await production('r3-arrow-cold', { 'm.ts': v }, 'm.ts', (m) => {
      const a = m.make()
      return [Object.keys(a), fnInfo(a.onHit), fnInfo(a.table.go), a.onHit === a.onHit, a.onHit()]
    })
    expect((r.hot as any)[0]).toEqual(['y', 'x', 'onHit', 'table'])
  })

  it('a held method of a subclass whose override is removed runs the base method', async () => {
    const v = (sub: string) => `${H}
export const held: Function[] = []
@reloadable() export class B { go(): string { return 'base' } }
@reloadable() export class S extends B { ${sub} hand(): void { held.push(this.go) } }`
    const r = await differential('r3-override-removed', {
      versions: [{ 'm.ts': v("override go(): string { return 'sub' }") }, { 'm.ts': v('') }],
      entry: 'm.ts',
      setup: (m) => new m.S().hand(),
      observe: (m) => m.held[0](),
    })
    expect(r.hot).toBe('base')
  })

  it('cold: a handed-out method is not a constructor', async () => {
    const v = `${H}
export const held: Function[] = []
@reloadable() export class A { go(): number { return 1 } constructor() { held.push(this.go) } }
export const make = () => new A()`
    const r = await production('r3-not-ctor', { 'm.ts': v }, 'm.ts', (m) => {
      m.make()
      return [attempt(() => new m.held[0]()), fnInfo(m.held[0])]
    })
    expect((r.hot as any)[0]).toHaveProperty('threw')
  })

  it('default parameters and arguments.length through a held forwarder', async () => {
    const v = (n: number) => `${H}
export const held: Function[] = []
@reloadable() export class A { go(a = ${n}, b = 10): unknown { return [a, b, arguments.length] } constructor() { held.push(this.go) } }
export const make = () => new A()`
    const r = await differential('r3-defaults', {
      versions: [{ 'm.ts': v(1) }, { 'm.ts': v(2) }],
      entry: 'm.ts',
      setup: (m) => m.make(),
      observe: (m) => {
        const f = m.held[0]
        return [f(), f(undefined), f(undefined, undefined, undefined), f(5, 6, 7, 8)]
      },
    })
    expect(r.hot).toEqual([
      [2, 10, 0],
      [2, 10, 1],
      [2, 10, 3],
      [5, 6, 4],
    ])
  })

  it('an inherited static method bound and held, base edited', async () => {
    const v = (n: number) => `${H}
export const held: Function[] = []
@reloadable() export class B { static make(): unknown { return [this.name, ${n}] } }
@reloadable() export class S extends B { static hand(): void { held.push(this.make.bind(this), S.make) } }`
    const r = await differential('r3-static-inherited', {
      versions: [{ 'm.ts': v(1) }, { 'm.ts': v(2) }],
      entry: 'm.ts',
      setup: (m) => m.S.hand(),
      observe: (m) => [m.held[0](), m.held[1].call(m.S)],
    })
    expect(r.hot).toEqual([
      ['S', 2],
      ['S', 2],
    ])
  })

  it('a callback slot the game set on an arrow field survives an edit of another method', async () => {
    const v = (s: string) => `${H}
@reloadable() export class Button { onClick = (): string => 'none'; click(): string { return '${s}' + this.onClick() } }`
    const r = await differential('r3-slot-unrelated', {
      versions: [{ 'm.ts': v('a') }, { 'm.ts': v('b') }],
      entry: 'm.ts',
      setup: (m) => {
        const b = new m.Button()
        b.onClick = () => 'start'
        return b
      },
      observe: (_m, b: any) => b.click(),
    })
    expect(r.hot).toBe('bstart')
  })
})

describe('modules', () => {
  it('a class imported through a re-export module', async () => {
    const e = (n: number) => `${H}
@reloadable() export class Enemy { hp(): number { return ${n} } }`
    const r = await differential('r3-reexport', {
      versions: [
        {
          'enemy.ts': e(1),
          'index.ts': `export { Enemy } from './enemy.ts'`,
          'main.ts': `import { Enemy } from './index.ts'\nexport const e = new Enemy()\nexport { Enemy }`,
        },
        { 'enemy.ts': e(2) },
      ],
      entry: 'main.ts',
      observe: (m) => [m.e.hp(), new m.Enemy().hp(), m.e instanceof m.Enemy],
    })
    expect(r.hot).toEqual([2, 2, true])
  })

  it('export default class, named and anonymous', async () => {
    const named = (n: number) => `${H}
@reloadable() export default class Enemy { static S = ${n}; hp(): number { return ${n} } }`
    const anon = (n: number) => `${H}
@reloadable() export default class { static S = ${n}; hp(): number { return ${n} } }`
    await production('r3-default-anon', { 'e.ts': anon(1) }, 'e.ts', (m) => [m.default.name, Object.keys(m.default)])
    for (const [tag, v] of [
      ['named', named],
      ['anon', anon],
    ] as const) {
      const r = await differential(`r3-default-${tag}`, {
        versions: [{ 'e.ts': v(1) }, { 'e.ts': v(2) }],
        entry: 'e.ts',
        setup: (m) => new m.default(),
        observe: (m, o: any) => [o.hp(), m.default.S, o instanceof m.default],
      })
      expect(r.hot).toEqual([2, 2, true])
    }
  })

  it('two reloadable classes importing each other, swapped one, the other, then both', async () => {
    const a = (n: number) => `${H}
import { B } from './b.ts'
@reloadable() export class A { peer(): B { return new B() } n(): number { return ${n} } }`
    const b = (n: number) => `${H}
import { A } from './a.ts'
@reloadable() export class B { peer(): A { return new A() } n(): number { return ${n} * 10 } }`
    const r = await differential('r3-cycle', {
      versions: [{ 'a.ts': a(1), 'b.ts': b(1) }, { 'a.ts': a(2) }, { 'b.ts': b(3) }, { 'a.ts': a(4), 'b.ts': b(4) }],
      entry: 'a.ts',
      setup: (m) => new m.A(),
      observe: (_m, o: any) => [o.n(), o.peer().n(), o.peer().peer().n(), o.peer().peer() instanceof o.constructor],
    })
    expect(r.hot).toEqual([4, 40, 4, true])
  })

  it('base and subclass modules swapped together; the subclass static reads the new base static', async () => {
    const base = (n: number) => `${H}
@reloadable() export class Base { static K = ${n}; v(): number { return ${n} } }`
    const sub = (n: number) => `${H}
import { Base } from './base.ts'
@reloadable() export class Sub extends Base { static K2 = Base.K * 10 + ${n}; override v(): number { return super.v() * 100 + ${n} } }`
    const r = await differential('r3-base-sub', {
      versions: [
        { 'base.ts': base(1), 'sub.ts': sub(1) },
        { 'base.ts': base(2), 'sub.ts': sub(2) },
      ],
      entry: 'sub.ts',
      setup: (m) => new m.Sub(),
      observe: (m, o: any) => [o.v(), m.Sub.K2],
    })
    expect(r.hot).toEqual([202, 22])
  })

  it('a subclass module swapped while its base has a pending edit, then the base', async () => {
    const base = (n: number) => `${H}
@reloadable() export class Base { v(): number { return ${n} } }`
    const sub = (n: number) => `${H}
import { Base } from './base.ts'
@reloadable() export class Sub extends Base { override v(): number { return super.v() * 100 + ${n} } }`
    const s = scenario('r3-pending-base')
    try {
      s.write('base.ts', base(1))
      s.write('sub.ts', sub(1))
      const m: any = await s.load('sub.ts')
      const o = new m.Sub()
      s.write('base.ts', base(2))
      expect((await s.swap('sub.ts', sub(2))).ok).toBe(true)
      const a = o.v()
      expect((await swapModules([s.path('base.ts')])).ok).toBe(true)
      expect([a, o.v(), new m.Sub().v()]).toEqual([102, 202, 202])
    } finally {
      s.cleanup()
    }
  })
})

describe('async and generators across a swap', () => {
  it('an async method suspended at an await finishes with its old body; the next call runs the new', async () => {
    const v = (n: number) => `${H}
export let gate: () => void = () => {}
@reloadable() export class A { async run(): Promise<string> { await new Promise<void>((r) => { gate = r }); return 'v${n}' } }`
    const s = scenario('r3-async-suspended')
    try {
      s.write('m.ts', v(1))
      const m: any = await s.load('m.ts')
      const a = new m.A()
      const p = a.run()
      expect((await s.swap('m.ts', v(2))).ok).toBe(true)
      m.gate()
      const first = await p
      const q = a.run()
      m.gate()
      expect([first, await q]).toEqual(['v1', 'v2'])
    } finally {
      s.cleanup()
    }
  })

  it('a generator started through a held forwarder finishes its old body; a new one runs the new', async () => {
    const v = (n: number) => `${H}
export const held: Function[] = []
@reloadable() export class A { *items(): Generator<number> { yield ${n}; yield ${n} * 10 } constructor() { held.push(this.items) } }`
    const s = scenario('r3-generator')
    try {
      s.write('m.ts', v(1))
      const m: any = await s.load('m.ts')
      const a = new m.A()
      const g = m.held[0].call(a)
      const g2 = a.items()
      const x = [g.next().value, g2.next().value]
      expect((await s.swap('m.ts', v(2))).ok).toBe(true)
      const y = [g.next().value, g2.next().value, [...m.held[0].call(a)]]
      expect([x, y]).toEqual([
        [1, 1],
        [10, 10, [2, 20]],
      ])
    } finally {
      s.cleanup()
    }
  })
})

describe('rollback', () => {
  it('swap, rollback, swap, rollback with statics, added fields and a module let', async () => {
    const v = (n: number, f: string) => `${H}
export let count = ${n}
export function bump(): void { count++ }
@reloadable() export class A { static S = ${n}; ${f} n(): number { return ${n} + count } }`
    const s = scenario('r3-rollback-seq')
    try {
      s.write('m.ts', v(1, 'x = 1;'))
      const m: any = await s.load('m.ts')
      const a = new m.A()
      m.bump()
      const look = () => [m.A.S, a.n(), Object.keys(a), m.count]
      const out: unknown[] = []
      expect((await s.swap('m.ts', v(2, 'x = 1; y = 2;'))).ok).toBe(true)
      out.push(look())
      expect((await rollback()).ok).toBe(true)
      out.push(look())
      expect((await s.swap('m.ts', v(3, 'x = 1; z = 3;'))).ok).toBe(true)
      out.push(look())
      expect((await rollback()).ok).toBe(true)
      out.push(look())
      // count: an edited `let` is re-initialised, and rollback leaves module data as it is (README).
      expect(out).toEqual([
        [2, 4, ['x', 'y'], 2],
        [1, 3, ['x'], 2],
        [3, 6, ['x', 'z'], 3],
        [1, 4, ['x'], 3],
      ])
    } finally {
      s.cleanup()
    }
  })

  it('rollback of a swap that removed a class brings its methods and runtime statics back', async () => {
    const v = (b: boolean, n: number) => `${H}
@reloadable() export class A { n(): number { return ${n} } }
${b ? `@reloadable() export class B { static S = 5; n(): number { return ${n} * 10 } }` : ''}`
    const s = scenario('r3-rollback-removed')
    try {
      s.write('m.ts', v(true, 1))
      const m: any = await s.load('m.ts')
      const b = new m.B()
      m.B.S = 6
      expect((await s.swap('m.ts', v(false, 2))).ok).toBe(true)
      expect((await rollback()).ok).toBe(true)
      const x = [b.n(), m.B.S, new m.B().n()]
      expect((await s.swap('m.ts', v(true, 3))).ok).toBe(true)
      expect([x, [b.n(), m.B.S, new m.A().n()]]).toEqual([
        [10, 6, 10],
        [30, 6, 3],
      ])
    } finally {
      s.cleanup()
    }
  })

  it('historyLimit 2: two rollbacks, then nothing to roll back', async () => {
    const v = (n: number) => `${H}
@reloadable() export class A { n(): number { return ${n} } }`
    const s = scenario('r3-history')
    configure({ historyLimit: 2 })
    try {
      s.write('m.ts', v(1))
      const m: any = await s.load('m.ts')
      for (const n of [2, 3, 4]) expect((await s.swap('m.ts', v(n))).ok).toBe(true)
      const out: unknown[] = []
      for (let i = 0; i < 3; i++) {
        const r = await rollback()
        out.push([r.ok, r.error?.code ?? null, new m.A().n()])
      }
      expect(out).toEqual([
        [true, null, 3],
        [true, null, 2],
        [false, 'HOTCLASS_NOTHING_TO_ROLLBACK', 2],
      ])
    } finally {
      configure({ historyLimit: 20 })
      s.cleanup()
    }
  })

  it('rollback after a swap that edited a static dependency, then the same swap again', async () => {
    const v = (n: number) => `${H}
const BASE = ${n}
@reloadable() export class A { static S = BASE * 2; static K = new Map<number, number>() }`
    const s = scenario('r3-rollback-dep')
    try {
      s.write('m.ts', v(1))
      const m: any = await s.load('m.ts')
      m.A.K.set(1, 1)
      expect((await s.swap('m.ts', v(5))).ok).toBe(true)
      const a = m.A.S
      expect((await rollback()).ok).toBe(true)
      const b = m.A.S
      expect((await s.swap('m.ts', v(5))).ok).toBe(true)
      expect([a, b, m.A.S, [...m.A.K]]).toEqual([10, 2, 10, [[1, 1]]])
    } finally {
      s.cleanup()
    }
  })
})

describe('failed swaps restore everything', () => {
  it('a module that throws after defining one of its two classes (decorated, static block, top-level instance)', async () => {
    const v = (n: number, tail: string) => `${H}import 'reflect-metadata'
export const reg: string[] = []
const tag = (t: string) => (c: Function): void => { Reflect.defineMetadata('t', t, c); reg.push(t) }
export let lives = 3
export function hit(): void { lives-- }
@reloadable() @tag('a${n}') export class A { static S = ${n}; static M = new Map([[1, ${n}]]); static { reg.push('blockA${n}') } n(): number { return ${n} } }
export const boss = new A()
${tail}
@reloadable() export class B extends A { override n(): number { return super.n() * 10 + ${n} } }`
    const s = scenario('r3-half-defined')
    try {
      s.write('m.ts', v(1, ''))
      const m: any = await s.load('m.ts')
      const b = new m.B()
      m.hit()
      m.A.M.set(2, 2)
      const obs = () => [
        fingerprint(m.A),
        fingerprint(m.B),
        Reflect.getMetadata('t', m.A),
        [...m.reg],
        m.A.S,
        [...m.A.M],
        b.n(),
        new m.B().n(),
        m.boss.n(),
        m.lives,
      ]
      const before = obs()
      expect((await s.swap('m.ts', v(2, `if (A.S === 2) throw new Error('half')`))).ok).toBe(false)
      expect(obs()).toEqual(before)
      expect((await s.swap('m.ts', v(2, ''))).ok).toBe(true)
      expect([Reflect.getMetadata('t', m.A), m.reg, m.A.S, [...m.A.M], b.n(), m.lives]).toEqual([
        'a2',
        ['blockA1', 'a1', 'blockA2', 'a2'],
        2,
        [[1, 2]],
        22,
        2,
      ])
    } finally {
      s.cleanup()
    }
  })

  it('a failed swap that edited a static dependency or a decorator, then the same edit without the throw', async () => {
    const v = (n: number, tail: string) => `${H}import 'reflect-metadata'
const BASE = ${n}
@reloadable() @Reflect.metadata('t', ${n}) export class A { static S = BASE * 2 }
${tail}`
    const s = scenario('r3-failed-then-fixed')
    try {
      s.write('m.ts', v(1, ''))
      const m: any = await s.load('m.ts')
      expect((await s.swap('m.ts', v(5, `throw new Error('x')`))).ok).toBe(false)
      const mid = [m.A.S, Reflect.getMetadata('t', m.A)]
      expect((await s.swap('m.ts', v(5, ''))).ok).toBe(true)
      expect([mid, [m.A.S, Reflect.getMetadata('t', m.A)]]).toEqual([
        [2, 1],
        [10, 5],
      ])
    } finally {
      s.cleanup()
    }
  })

  it('a static initialiser that throws after an earlier static was edited', async () => {
    const v = (n: number, bad: boolean) => `${H}
@reloadable() export class A { static S = ${n}; static T = ${bad ? `(() => { throw new Error('t') })()` : '1'}; n(): number { return ${n} } }`
    const s = scenario('r3-static-throws')
    try {
      s.write('m.ts', v(1, false))
      const m: any = await s.load('m.ts')
      m.A.S = 7
      const before = [fingerprint(m.A), new m.A().n()]
      expect((await s.swap('m.ts', v(2, true))).ok).toBe(false)
      expect([fingerprint(m.A), new m.A().n()]).toEqual(before)
    } finally {
      s.cleanup()
    }
  })

  it('a throwing migrate: added fields, an added arrow field, statics and held methods restored', async () => {
    const v = (n: number, mig: string) => `${H}
export const held: Function[] = []
@reloadable({ migrate: (o: any) => { o.seen = ${n}; ${mig} } }) export class A { x = 1; ${n > 1 ? 'y = 2; onY = (): number => 2;' : ''} static S = ${n}; go(): number { return ${n} } constructor() { held.push(this.go) } }`
    const s = scenario('r3-migrate-throws')
    try {
      s.write('m.ts', v(1, ''))
      const m: any = await s.load('m.ts')
      const a = new m.A()
      const obs = () => [Object.keys(a), JSON.stringify(a), m.A.S, m.held[0].call(a), a.go(), fingerprint(m.A)]
      const before = obs()
      expect((await s.swap('m.ts', v(2, `throw new Error('m')`))).ok).toBe(false)
      expect(obs()).toEqual(before)
    } finally {
      s.cleanup()
    }
  })

  it('the second module of swapModules throws: base, subclass, their statics and instance restored', async () => {
    const a = (n: number) => `${H}
export const BASE = ${n}
@reloadable() export class A { static S = BASE; f = ${n}; n(): number { return ${n} } }`
    const b = (n: number, bad: boolean) => `${H}
import { A } from './a.ts'
@reloadable() export class B extends A { static T = A.S * 10; g = ${n}; override n(): number { return ${n} } }
${bad ? `throw new Error('b')` : ''}`
    const s = scenario('r3-second-throws')
    try {
      s.write('a.ts', a(1))
      s.write('b.ts', b(1, false))
      const m: any = await s.load('b.ts')
      const ma: any = await s.load('a.ts')
      const o = new m.B()
      const obs = () => [fingerprint(ma.A), fingerprint(m.B), ma.A.S, m.B.T, o.n(), JSON.stringify(o), ma.BASE]
      const before = obs()
      s.write('a.ts', a(2))
      s.write('b.ts', b(2, true))
      expect((await swapModules([s.path('a.ts'), s.path('b.ts')])).ok).toBe(false)
      expect(obs()).toEqual(before)
    } finally {
      s.cleanup()
    }
  })
})
