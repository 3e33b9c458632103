import 'reflect-metadata'
import { describe, expect, it } from 'vitest'
import { rollback } from '../../src/index.ts'
import { differential, production, attempt, H, LEGACY, LIB } from '../helpers/redteam.ts'
import { scenario } from '../helpers/scenario.ts'

/**
 * Round 2 of the held-out suite: scenarios that pass on this branch (6b5d2b4), each asserting an oracle
 * (swapped == cold load of the final source; cold hotclass == decorator inert) and the value it expects.
 * Those that fail are in redteam2-failing.test.ts.txt.
 */

describe('forwarders: decorators, run-time patches, statics, symbols, rollback', () => {
  it('a static method and a symbol-keyed method handed to a ticker follow a swap', async () => {
    const v = (n: number) => `${H}
import { Ticker } from './lib.ts'
export const ticker = new Ticker()
export const TICK = Symbol('tick')
@reloadable() export class G { static tick(): number { return ${n} } [TICK](): number { return ${n} * 10 } constructor() { ticker.add(G.tick); ticker.add(this[TICK], this) } }
export const make = () => new G()`
    const r = await differential('r2-static-symbol', {
      versions: [{ 'lib.ts': LIB, 'm.ts': v(1) }, { 'm.ts': v(2) }],
      entry: 'm.ts',
      setup: (m) => m.make(),
      observe: (m) => m.ticker.tick(),
    })
    expect(r.hot).toEqual([2, 20])
  })

  it('a static method handed out, swapped, rolled back', async () => {
    const v = (n: number) => `${H}
export const held: Function[] = []
@reloadable() export class Game { static tick(): number { return ${n} } static start(): void { held.push(Game.tick) } }`
    const s = scenario('r2-static-rollback')
    try {
      s.write('m.ts', v(1))
      const m: any = await s.load('m.ts')
      m.Game.start()
      const out: unknown[] = [m.held[0]()]
      expect((await s.swap('m.ts', v(2))).ok).toBe(true)
      out.push(m.held[0]())
      expect((await rollback()).ok).toBe(true)
      out.push(m.held[0]())
      expect(out).toEqual([1, 2, 1])
    } finally {
      s.cleanup()
    }
  })

  it('a handed-out method removed, rolled back, edited, rolled back', async () => {
    const v = (body: string) => `${H}
export const held: Function[] = []
@reloadable() export class A { constructor() { held.push(this.go) } ${body} }
export const make = () => new A()`
    const s = scenario('r2-remove-rollback')
    try {
      s.write('m.ts', v("go(): string { return 'v1' }"))
      const m: any = await s.load('m.ts')
      m.make()
      const out: unknown[] = []
      expect((await s.swap('m.ts', v(''))).ok).toBe(true)
      out.push(
        attempt(() => m.held[0]()),
        typeof new m.A().go,
      )
      expect((await rollback()).ok).toBe(true)
      out.push(m.held[0](), typeof new m.A().go)
      expect((await s.swap('m.ts', v("go(): string { return 'v3' }"))).ok).toBe(true)
      out.push(m.held[0]())
      expect((await rollback()).ok).toBe(true)
      out.push(m.held[0]())
      expect(out).toEqual(['v1', 'undefined', 'v1', 'function', 'v3', 'v1'])
    } finally {
      s.cleanup()
    }
  })

  it('rollback of a swap that added a wrapping method decorator: direct call and held ref', async () => {
    const v = (deco: string, n: number) => `${H}
export const calls: string[] = []
function logged(_t: object, k: string, d: PropertyDescriptor): void { const inner = d.value; d.value = function (this: unknown, ...a: unknown[]) { calls.push(k); return inner.apply(this, a) } }
void logged
export const held: Function[] = []
@reloadable() export class S { constructor() { held.push(this.hit) } ${deco} hit(): number { return ${n} } }`
    const s = scenario('r2-deco-rollback')
    try {
      s.write('m.ts', v('', 1))
      const m: any = await s.load('m.ts')
      const o = new m.S()
      expect((await s.swap('m.ts', v('@logged', 2))).ok).toBe(true)
      const a = [o.hit(), m.calls.length]
      expect((await rollback()).ok).toBe(true)
      const b = [o.hit(), m.held[0].call(o), m.calls.length]
      expect([a, b]).toEqual([
        [2, 1],
        [1, 1, 1],
      ])
    } finally {
      s.cleanup()
    }
  })

  it('cold: a prototype method replaced at run time after a hand-out; the holder keeps the original', async () => {
    const v = `${H}
import { later } from './lib.ts'
export { runTimers } from './lib.ts'
@reloadable() export class Foo { constructor() { later(this.m) } m(): string { return 'orig' } }
export const make = () => new Foo()`
    const r = await production('r2-patch-after', { 'lib.ts': LIB, 'm.ts': v }, 'm.ts', (m) => {
      m.make()
      m.Foo.prototype.m = () => 'spy'
      return m.runTimers()
    })
    expect(r.hot).toEqual(['orig'])
  })

  it('cold: a library redefines the method as a getter after a hand-out', async () => {
    const v = `${H}
import { later } from './lib.ts'
export { runTimers } from './lib.ts'
@reloadable() export class Foo { constructor() { later(this.m) } m(): string { return 'orig' } }
export const make = () => new Foo()`
    const r = await production('r2-define-getter', { 'lib.ts': LIB, 'm.ts': v }, 'm.ts', (m) => {
      m.make()
      Object.defineProperty(m.Foo.prototype, 'm', { get: () => () => 'lib', configurable: true })
      return attempt(() => m.runTimers())
    })
    expect(r.hot).toEqual(['orig'])
  })

  it('cold: an own property shadowing the method is what is handed out', async () => {
    const v = `${H}
import { later } from './lib.ts'
export { runTimers } from './lib.ts'
@reloadable() export class Foo { constructor() { this.m = () => 'own'; later(this.m) } m(): string { return 'proto' } }
export const make = () => new Foo()`
    const r = await production('r2-own-shadow', { 'lib.ts': LIB, 'm.ts': v }, 'm.ts', (m) => {
      m.make()
      return m.runTimers()
    })
    expect(r.hot).toEqual(['own'])
  })

  it('a method the program patched at run time and handed out after the patch, then a swap', async () => {
    const v = (n: number) => `${H}
export const held: Function[] = []
@reloadable() export class A { go(): number { return ${n} } hand(): void { held.push(this.go) } }`
    const r = await differential('r2-patch-handout', {
      versions: [{ 'm.ts': v(1) }, { 'm.ts': v(2) }],
      entry: 'm.ts',
      setup: (m) => {
        const a = new m.A()
        a.hand()
        return a
      },
      observe: (m, a) => [m.held[0](), a.go()],
    })
    expect(r.hot).toEqual([2, 2])
  })

  it('a getter returning a method, its name a data field of another class in the module', async () => {
    const v = (n: number) => `${H}
export const held: Function[] = []
@reloadable() export class A { handler = 0 }
@reloadable() export class B { get handler(): () => number { return this.go } go(): number { return ${n} } constructor() { held.push(this.handler) } }
export const make = () => new B()`
    const r = await differential('r2-getter-named-like-field', {
      versions: [{ 'm.ts': v(1) }, { 'm.ts': v(2) }],
      entry: 'm.ts',
      setup: (m) => m.make(),
      observe: (m) => m.held[0](),
    })
    expect(r.hot).toBe(2)
  })

  it('cross-module base method bound into a field of another name follows the base edit', async () => {
    const base = (n: number) => `${H}
@reloadable() export class Base { onTick(): number { return ${n} } }`
    const sub = `${H}
import { Base } from './base.ts'
import { later } from './lib.ts'
export { runTimers } from './lib.ts'
@reloadable() export class Sub extends Base { cb: () => number; constructor() { super(); this.cb = this.onTick.bind(this); later(this.cb) } }
export const make = () => new Sub()`
    const r = await differential('r2-xmod-bind-other-name', {
      versions: [{ 'lib.ts': LIB, 'base.ts': base(1), 'sub.ts': sub }, { 'base.ts': base(2) }],
      entry: 'sub.ts',
      setup: (m) => m.make(),
      observe: (m) => m.runTimers(),
    })
    expect(r.hot).toEqual([2])
  })

  it('spread arguments and new Promise(this.exec) hand methods out', async () => {
    const v = (n: number) => `${H}
export const held: Function[] = []
const keep = (...fs: Function[]): void => { held.push(...fs) }
@reloadable() export class X {
  constructor() { keep(...[this.two]); void new Promise(this.exec) }
  two(): number { return ${n} * 10 }
  exec(r: (v: unknown) => void): void { r(${n}) }
}
export const make = () => new X()`
    const r = await differential('r2-spread-promise', {
      versions: [{ 'm.ts': v(1) }, { 'm.ts': v(2) }],
      entry: 'm.ts',
      setup: (m) => m.make(),
      observe: (m) => m.held.map((f: Function) => f()),
    })
    expect(r.hot).toEqual([20])
  })
})

describe('fields: useDefineForClassFields false, track: false', () => {
  it('legacy fields: a field initialised with a method, compared and held', async () => {
    const v = (n: number) => `${H}
export const held: Function[] = []
@reloadable() export class W { handler = this.onEvent; constructor() { held.push(this.handler) } onEvent(): number { return ${n} } same(): boolean { return this.handler === this.onEvent } }
export const make = () => new W()`
    await production('r2-legacy-field-method', { 'm.ts': v(1) }, 'm.ts', (m) => m.make().same(), LEGACY)
    const r = await differential('r2-legacy-field-method', {
      extra: LEGACY,
      versions: [{ 'm.ts': v(1) }, { 'm.ts': v(2) }],
      entry: 'm.ts',
      setup: (m) => m.make(),
      observe: (m) => m.held[0](),
    })
    expect(r.hot).toBe(2)
  })

  it('track: false arrow field, two swaps before its first call', async () => {
    const v = (n: number) => `${H}
export const held: Function[] = []
@reloadable({ track: false }) export class Spark { onPing = (): number => ${n}; constructor() { held.push(this.onPing) } }
export const make = () => new Spark()`
    const r = await differential('r2-untracked-two-swaps', {
      versions: [{ 'm.ts': v(1) }, { 'm.ts': v(2) }, { 'm.ts': v(3) }],
      entry: 'm.ts',
      setup: (m) => m.make(),
      observe: (m, s) => [m.held[0](), s.onPing()],
    })
    expect(r.hot).toEqual([3, 3])
  })

  it('track: false arrow field: swap, call, rollback, call; and rollback before any call', async () => {
    const v = (n: number) => `${H}
export const held: Function[] = []
@reloadable({ track: false }) export class Spark { onPing = (): number => ${n}; constructor() { held.push(this.onPing) } }
export const make = () => new Spark()`
    const s = scenario('r2-untracked-rollback')
    try {
      s.write('m.ts', v(1))
      const m: any = await s.load('m.ts')
      const sp = m.make()
      const quiet = m.make()
      expect((await s.swap('m.ts', v(2))).ok).toBe(true)
      const a = m.held[0]()
      expect((await rollback()).ok).toBe(true)
      expect([a, m.held[0](), sp.onPing(), m.held[1](), quiet.onPing(), m.make().onPing()]).toEqual([2, 1, 1, 1, 1, 1])
    } finally {
      s.cleanup()
    }
  })

  it('track: false handler table entries held by a framework', async () => {
    const v = (n: number) => `${H}
export const held: Function[] = []
@reloadable({ track: false }) export class Room { messages = { move: (x: number): number => x * ${n}, stop: (): string => 's${n}' }; constructor() { held.push(this.messages.move, this.messages.stop) } }
export const make = () => new Room()`
    const r = await differential('r2-untracked-table', {
      versions: [{ 'm.ts': v(1) }, { 'm.ts': v(2) }],
      entry: 'm.ts',
      setup: (m) => m.make(),
      observe: (m, room) => [m.held[0](3), m.held[1](), room.messages.move(3)],
    })
    expect(r.hot).toEqual([6, 's2', 6])
  })

  it('an arrow field a subclass overrides, both edited (tracked)', async () => {
    const v = (n: number) => `${H}
export const held: Function[] = []
@reloadable() export class B { onHit = (): string => 'b${n}' }
@reloadable() export class S extends B { override onHit = (): string => 's${n}'; constructor() { super(); held.push(this.onHit) } }
export const make = () => new S()`
    const r = await differential('r2-field-override', {
      versions: [{ 'm.ts': v(1) }, { 'm.ts': v(2) }],
      entry: 'm.ts',
      setup: (m) => m.make(),
      observe: (m, s) => [m.held[0](), s.onHit()],
    })
    expect(r.hot).toEqual(['s2', 's2'])
  })

  it('track: false arrow field inherited by a tracked subclass, base field edited', async () => {
    const v = (n: number) => `${H}
export const held: Function[] = []
@reloadable({ track: false }) export class B { onHit = (): string => 'b${n}' }
@reloadable() export class S extends B { constructor() { super(); held.push(this.onHit) } }
export const make = () => new S()`
    const r = await differential('r2-untracked-inherited', {
      versions: [{ 'm.ts': v(1) }, { 'm.ts': v(2) }],
      entry: 'm.ts',
      setup: (m) => m.make(),
      observe: (m, s) => [m.held[0](), s.onHit()],
    })
    expect(r.hot).toEqual(['b2', 'b2'])
  })

  it('an arrow field removed by a swap is still found by off()', async () => {
    const v = (f: string) => `${H}
import EventEmitter from 'eventemitter3'
export const bus = new EventEmitter()
@reloadable() export class W { ${f} constructor() { if ((this as any).onPing) bus.on('ping', (this as any).onPing) } stop(): void { if ((this as any).onPing) bus.off('ping', (this as any).onPing) } }
export const make = () => new W()`
    const s = scenario('r2-field-removed-off')
    try {
      s.write('m.ts', v('onPing = (): number => 1;'))
      const m: any = await s.load('m.ts')
      const w = m.make()
      expect(m.bus.listenerCount('ping')).toBe(1)
      expect((await s.swap('m.ts', v(''))).ok).toBe(true)
      w.stop()
      expect(m.bus.listenerCount('ping')).toBe(0)
    } finally {
      s.cleanup()
    }
  })

  it('added fields whose initialiser uses super (method call, getter across modules, legacy fields)', async () => {
    const v = (extra: string) => `${H}
@reloadable() export class Base { label(): string { return 'b' } }
@reloadable() export class Leaf extends Base { n = 1; ${extra} override label(): string { return 'leaf' } }`
    const r = await differential('r2-added-super', {
      versions: [{ 'm.ts': v('') }, { 'm.ts': v('title = super.label() + this.label();') }],
      entry: 'm.ts',
      setup: (m) => new m.Leaf(),
      observe: (_m, o) => [o.title, Object.keys(o)],
    })
    expect(r.hot).toEqual(['bleaf', ['n', 'title']])
    const base = `${H}
@reloadable() export class Base { get tag(): string { return 'B' } }`
    const leaf = (extra: string) => `${H}
import { Base } from './b.ts'
@reloadable() export class Leaf extends Base { n = 1; ${extra} }`
    const r2 = await differential('r2-added-super-getter', {
      extra: LEGACY,
      versions: [{ 'b.ts': base, 'm.ts': leaf('') }, { 'm.ts': leaf('title = super.tag + "!";') }],
      entry: 'm.ts',
      setup: (m) => new m.Leaf(),
      observe: (_m, o) => [o.title, Object.keys(o)],
    })
    expect(r2.hot).toEqual(['B!', ['n', 'title']])
  })
})

describe('statics: primitives evaluated again, runtime values kept', () => {
  it('a static from this.y with y edited, and string/boolean/null/bigint/undefined statics edited', async () => {
    const v = (n: number, s: string) => `${H}
@reloadable() export class T { static y = ${n}; static x = this.y + 1; static s = '${s}'; static b = ${n > 1}; static z = null; static big = ${n}n; static u = undefined }`
    const r = await differential('r2-static-kinds', {
      versions: [{ 'm.ts': v(1, 'a') }, { 'm.ts': v(2, 'b') }],
      entry: 'm.ts',
      observe: (m) => [m.T.x, m.T.s, m.T.b, m.T.z, String(m.T.big), m.T.u, Object.keys(m.T)],
    })
    expect(r.hot).toEqual([3, 'b', true, null, '2', undefined, ['y', 'x', 's', 'b', 'z', 'big', 'u']])
  })

  it('a static changed at run time and back to its declared value follows an edit of its constant', async () => {
    const v = (n: number) => `${H}
export const BASE = ${n}
@reloadable() export class T { static SPEED = BASE * 2 }`
    const r = await differential('r2-static-back', {
      versions: [{ 'm.ts': v(1) }, { 'm.ts': v(3) }],
      entry: 'm.ts',
      beforeSwap: (m) => {
        m.T.SPEED = 5
        m.T.SPEED = 2
      },
      observe: (m) => m.T.SPEED,
    })
    expect(r.hot).toBe(6)
  })

  it('a static changed at run time is kept by swaps that leave its inputs alone, and follows an edit of them', async () => {
    const v = (n: number, k: number) => `${H}
export const BASE = ${n}
@reloadable() export class T { static SPEED = BASE * 2; static k(): number { return ${k} } }`
    const s = scenario('r2-static-kept')
    try {
      s.write('m.ts', v(1, 1))
      const m: any = await s.load('m.ts')
      m.T.SPEED = 50
      expect((await s.swap('m.ts', v(1, 2))).ok).toBe(true)
      expect((await s.swap('m.ts', v(1, 3))).ok).toBe(true)
      expect([m.T.SPEED, m.T.k()]).toEqual([50, 3])
      // BASE is the declaration's input: editing it is editing SPEED, as a cold load would compute it.
      expect((await s.swap('m.ts', v(4, 3))).ok).toBe(true)
      expect([m.T.SPEED, m.T.k()]).toEqual([8, 3])
      await rollback()
      expect([m.T.SPEED, m.T.k()]).toEqual([50, 3])
      await rollback()
      expect([m.T.SPEED, m.T.k()]).toEqual([50, 2])
    } finally {
      s.cleanup()
    }
  })
})

describe('real-world shapes', () => {
  // pixi.js v8 reads navigator at import; Node 20 has none.
  ;(globalThis as any).navigator ??= { userAgent: 'node' }

  it('a state machine that assigns this.state = this.idle in a method and compares', async () => {
    const v = (n: number) => `${H}
@reloadable() export class Npc {
  state: () => string = (): string => 'none'
  start(): void { this.state = this.idle }
  idle(): string { return 'idle${n}' }
  chase(): string { return 'chase${n}' }
  step(): string { this.state = this.state === this.idle ? this.chase : this.idle; return this.state() }
  isIdle(): boolean { return this.state === this.idle }
}`
    const r = await differential('r2-fsm', {
      versions: [{ 'm.ts': v(1) }, { 'm.ts': v(2) }],
      entry: 'm.ts',
      setup: (m) => {
        const n = new m.Npc()
        n.start()
        return n
      },
      observe: (_m, n) => [n.isIdle(), n.state(), n.step(), n.step(), n.isIdle()],
    })
    expect(r.hot).toEqual([true, 'idle2', 'chase2', 'idle2', true])
  })

  it('an ECS system registry: a class decorator fills a Map in a module and a static Map of a base', async () => {
    const base = `${H}
@reloadable() export class System { static systems = new Map<string, any>(); run(): number { return 0 } }
export const system = (name: string) => (c: any): void => { System.systems.set(name, c) }`
    const v = (n: number) => `${H}
import { System, system } from './base.ts'
export const local = new Map<string, any>()
const here = (name: string) => (c: any): void => { local.set(name, c) }
@reloadable() @system('move') @here('move') export class Move extends System { override run(): number { return ${n} } }
export { System }
export const runAll = (): number[] => [...System.systems.values(), ...local.values()].map((S) => new S().run())`
    const r = await differential('r2-ecs', {
      versions: [{ 'base.ts': base, 'm.ts': v(1) }, { 'm.ts': v(2) }],
      entry: 'm.ts',
      observe: (m) => [m.runAll(), m.System.systems.size, m.System.systems.get('move') === m.Move],
    })
    expect(r.hot).toEqual([[2, 2], 1, true])
  })

  it('pixi v8: a Container scene with its own Ticker, on/once/off with context, swapped', async () => {
    const v = (n: number) => `${H}
import { Container, Ticker } from 'pixi.js'
@reloadable() export class Scene extends Container {
  log: number[] = []
  t = new Ticker()
  constructor() { super(); this.t.autoStart = false; this.t.add(this.update, this); this.eventMode = 'static'; this.on('pointerdown', this.onDown, this); this.once('added', this.onAdded, this) }
  update(): void { this.log.push(${n}) }
  onDown(): void { this.log.push(-${n}) }
  onAdded(): void { this.log.push(${n * 100}) }
  stop(): void { this.t.remove(this.update, this); this.off('pointerdown', this.onDown, this) }
}`
    const r = await differential('r2-pixi-scene', {
      versions: [{ 'm.ts': v(1) }, { 'm.ts': v(2) }],
      entry: 'm.ts',
      setup: (m) => new m.Scene(),
      observe: (_m, s) => {
        s.t.update(performance.now() + 20)
        s.emit('pointerdown')
        s.emit('added')
        s.emit('added')
        s.stop()
        s.t.update(performance.now() + 40)
        s.emit('pointerdown')
        return [s.log, s.t.count, s.listenerCount('pointerdown'), s.listenerCount('added')]
      },
    })
    expect(r.hot).toEqual([[2, -2, 200], 0, 0, 0])
  })
})
