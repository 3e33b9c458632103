import 'reflect-metadata'
import { describe, expect, it } from 'vitest'
import { differential, production, shape, fnInfo, attempt } from '../helpers/redteam.ts'

/**
 * Held-out style scenarios for the fidelity (9) and references (10) issues, one per `it`, each asserting
 * an oracle: a swapped program observes what a cold load of the final source does (kept state aside),
 * and a cold hotclass load observes what the decorator inert does.
 */

const H = `import { reloadable } from 'HOTCLASS'\n`

describe('class body: statics see the live class', () => {
  it('a lazy singleton in a static getter over a private static', async () => {
    const v = (n: number) => `${H}
@reloadable()
export class Game {
  static #inst: Game | undefined
  static get instance(): Game { return (Game.#inst ??= new Game()) }
  score = 0
  add(): number { return (this.score += ${n}) }
}`
    await production('lazy-single', { 'g.ts': v(1) }, 'g.ts', (m) => [
      m.Game.instance === m.Game.instance,
      m.Game.instance instanceof m.Game,
      m.Game.instance.add(),
    ])
    await differential('lazy-single', {
      versions: [{ 'g.ts': v(1) }, { 'g.ts': v(10) }],
      entry: 'g.ts',
      setup: (m) => m.Game.instance,
      observe: (m, inst) => [m.Game.instance === inst, Object.getPrototypeOf(inst) === m.Game.prototype, inst.add()],
    })
  })

  it('a static initialiser that reads an earlier static through this', async () => {
    const v = (n: number) => `${H}
@reloadable()
export class Grid {
  static size = 4
  static cells = Array.from({ length: this.size }, (_, i) => i * ${n})
  static total(): number { return this.cells.reduce((a, b) => a + b, 0) }
}`
    await production('static-this', { 'g.ts': v(1) }, 'g.ts', (m) => [m.Grid.cells, m.Grid.total()])
    await differential('static-this', {
      versions: [{ 'g.ts': v(1) }, { 'g.ts': v(2) }],
      entry: 'g.ts',
      observe: (m) => [m.Grid.cells, m.Grid.total(), Object.keys(m.Grid)],
    })
  })

  it('a private static method used by a public static', async () => {
    const v = (n: number) => `${H}
@reloadable()
export class Ids {
  static #seq = 0
  static #fmt(n: number): string { return 'id' + n * ${n} }
  static next(): string { return Ids.#fmt(++Ids.#seq) }
}`
    await production('priv-static-method', { 'i.ts': v(1) }, 'i.ts', (m) => [m.Ids.next(), m.Ids.next()])
    const r = await differential('priv-static-method', {
      versions: [{ 'i.ts': v(1) }, { 'i.ts': v(10) }],
      entry: 'i.ts',
      setup: (m) => [m.Ids.next(), m.Ids.next()],
      observe: (m) => m.Ids.next(),
    })
    expect(r.hot).toBe('id30')
  })

  it('a registry filled by a static block with super and this, across an inheritance chain', async () => {
    const v = (tag: string) => `${H}
export const registry = new Map<string, unknown>()
@reloadable()
export class Component {
  static kind = 'component'
  static register(): void { registry.set(this.kind, this) }
  static { this.register() }
}
@reloadable()
export class Sprite extends Component {
  static override kind = 'sprite'
  static { super.register() }
  draw(): string { return '${tag}' }
}`
    await production('static-block-reg', { 'c.ts': v('a') }, 'c.ts', (m) => [
      [...m.registry.keys()],
      m.registry.get('sprite') === m.Sprite,
      m.registry.get('component') === m.Component,
    ])
    await differential('static-block-reg', {
      versions: [{ 'c.ts': v('a') }, { 'c.ts': v('b') }],
      entry: 'c.ts',
      observe: (m) => [
        [...m.registry.keys()],
        m.registry.get('sprite') === m.Sprite,
        new (m.registry.get('sprite'))().draw(),
      ],
    })
  })

  it('static create = () => new this() on a subclass builds the subclass', async () => {
    const v = (n: number) => `${H}
@reloadable()
export class Entity { static create = function (this: any) { return new this() }; hp(): number { return ${n} } }
@reloadable()
export class Orc extends Entity { override hp(): number { return super.hp() * 2 } }`
    await production('create-sub', { 'e.ts': v(1) }, 'e.ts', (m) => [
      m.Orc.create() instanceof m.Orc,
      m.Orc.create().hp(),
      fnInfo(m.Orc.create),
    ])
    await differential('create-sub', {
      versions: [{ 'e.ts': v(1) }, { 'e.ts': v(5) }],
      entry: 'e.ts',
      observe: (m) => [m.Orc.create() instanceof m.Orc, m.Orc.create().hp(), fnInfo(m.Orc.create)],
    })
  })

  it('static readonly constants derived from a module constant edited in the same save', async () => {
    const v = (speed: number) => `${H}
export const BASE_SPEED = ${speed}
@reloadable()
export class Tuning { static SPEED = BASE_SPEED * 2; speed(): number { return Tuning.SPEED } }`
    await differential('static-const-edit', {
      versions: [{ 't.ts': v(1) }, { 't.ts': v(3) }],
      entry: 't.ts',
      observe: (m) => [m.Tuning.SPEED, new m.Tuning().speed(), m.BASE_SPEED],
    })
  })

  it('static accessor on a class with a subclass', async () => {
    const v = (n: number) => `${H}
@reloadable()
export class Settings { static accessor volume = ${n}; static louder(): number { return (this.volume += 1) } }
@reloadable()
export class Sub extends Settings {}`
    await production('static-accessor', { 's.ts': v(1) }, 's.ts', (m) => [
      m.Settings.volume,
      attempt(() => m.Sub.volume),
      m.Settings.louder(),
      Object.getOwnPropertyNames(m.Settings),
    ])
    await differential('static-accessor', {
      versions: [{ 's.ts': v(1) }, { 's.ts': v(7) }],
      entry: 's.ts',
      observe: (m) => [m.Settings.volume, m.Settings.louder(), Object.getOwnPropertyNames(m.Settings)],
    })
  })
})

describe('static data kept or re-evaluated', () => {
  it('a static Map mutated at run time survives an edit of a method; an edited declaration resets it', async () => {
    const v = (decl: string, n: number) => `${H}
@reloadable()
export class Cache { static entries = ${decl}; get(k: string): unknown { return Cache.entries.get(k) ?? ${n} } }`
    const r = await differential('static-map-kept', {
      versions: [{ 'c.ts': v('new Map<string, number>()', 1) }, { 'c.ts': v('new Map<string, number>()', 2) }],
      entry: 'c.ts',
      setup: (m) => m.Cache.entries.set('a', 5),
      observe: (m) => [new m.Cache().get('zz'), new m.Cache().get('a'), m.Cache.entries.size],
    })
    expect(r.hot).toEqual([2, 5, 1])
    // The declaration edited: the run-time entries go, as on a cold load.
    const e = await differential('static-map-edited', {
      versions: [{ 'c.ts': v('new Map<string, number>()', 1) }, { 'c.ts': v("new Map<string, number>([['b', 1]])", 2) }],
      entry: 'c.ts',
      beforeSwap: (m) => m.Cache.entries.set('a', 5),
      observe: (m) => [...m.Cache.entries],
    })
    expect(e.hot).toEqual([['b', 1]])
  })

  it('a static Set edited in its declaration takes the new value', async () => {
    const v = (decl: string) => `${H}
@reloadable()
export class Tags { static all = new Set<string>(${decl}) }`
    await differential('static-set-edit', {
      versions: [{ 't.ts': v("['a']") }, { 't.ts': v("['b', 'c']") }],
      entry: 't.ts',
      beforeSwap: (m) => m.Tags.all.add('runtime'),
      observe: (m) => [...m.Tags.all],
    })
  })

  it('a static array of instances of the class itself, kept, runs new methods', async () => {
    const v = (n: number) => `${H}
@reloadable()
export class Level {
  static presets = [new Level('a'), new Level('b')]
  constructor(public name: string) {}
  label(): string { return this.name + ${n} }
}`
    await production('static-presets', { 'l.ts': v(1) }, 'l.ts', (m) =>
      m.Level.presets.map((p: any) => [p.label(), p instanceof m.Level, p.constructor === m.Level]),
    )
    await differential('static-presets', {
      versions: [{ 'l.ts': v(1) }, { 'l.ts': v(2) }],
      entry: 'l.ts',
      observe: (m) => m.Level.presets.map((p: any) => [p.label(), p instanceof m.Level, p.constructor === m.Level]),
    })
  })
})

const LEGACY_FIELDS = {
  'tsconfig.json': JSON.stringify({
    compilerOptions: {
      target: 'ES2023',
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      useDefineForClassFields: false,
    },
  }),
}

describe('fields: added, removed, reordered, as reflection sees them', () => {
  const added = (extra: string) => `${H}
@reloadable()
export class Unit { hp = 10; name = 'u'; ${extra} }`

  it('an added field is a real own property of a live instance: keys, JSON, spread, structuredClone, in, hasOwn', async () => {
    await differential('field-added', {
      versions: [{ 'u.ts': added('') }, { 'u.ts': added('shield = { v: 2 }') }],
      entry: 'u.ts',
      setup: (m) => new m.Unit(),
      observe: (_m, o) => [
        shape(o),
        structuredClone(o),
        'shield' in o,
        Object.hasOwn(o, 'shield'),
        Object.prototype.hasOwnProperty.call(o, 'shield'),
        Object.entries(o),
      ],
    })
  })

  it('an added field on a frozen-after-swap instance and on a sealed one', async () => {
    await differential('field-freeze', {
      versions: [{ 'u.ts': added('') }, { 'u.ts': added('armor = 3') }],
      entry: 'u.ts',
      setup: (m) => new m.Unit(),
      observe: (_m, o) => {
        Object.freeze(o)
        return [o.armor, attempt(() => (o.armor = 4)), Object.isFrozen(o), shape(o)]
      },
    })
  })

  it('delete of an added field then read: undefined, as on a fresh object', async () => {
    await differential('field-delete', {
      versions: [{ 'u.ts': added('') }, { 'u.ts': added('mana = 7') }],
      entry: 'u.ts',
      setup: (m) => new m.Unit(),
      observe: (_m, o) => {
        delete o.mana
        return [o.mana, 'mana' in o, Object.keys(o)]
      },
    })
  })

  it('cold load: prototype reflection lists no fields', async () => {
    await production('proto-no-fields', { 'u.ts': added('armor = 3; static count = 0') }, 'u.ts', (m) => [
      Object.getOwnPropertyNames(m.Unit.prototype),
      Object.getOwnPropertyNames(new m.Unit()),
      Object.getOwnPropertyNames(m.Unit).sort(),
      'armor' in m.Unit.prototype,
    ])
  })

  it('useDefineForClassFields false: an added field is on live instances', async () => {
    await differential('field-added-legacy', {
      extra: LEGACY_FIELDS,
      versions: [{ 'u.ts': added('') }, { 'u.ts': added('armor = 3') }],
      entry: 'u.ts',
      setup: (m) => new m.Unit(),
      observe: (_m, o) => [shape(o), o.armor],
    })
  })

  it('useDefineForClassFields false: a field over a base setter calls the setter (plain semantics)', async () => {
    const v = `${H}
export const log: unknown[] = []
export class Base { set hp(v: number) { log.push(['set', v]) } get hp(): number { return 1 } }
@reloadable()
export class Hero extends Base { hp = 5 }`
    await production('legacy-setter', { 'h.ts': v }, 'h.ts', (m) => [shape(new m.Hero()), m.log], LEGACY_FIELDS)
  })

  it('useDefineForClassFields true: a field over a base setter defines an own property (plain semantics)', async () => {
    const v = `${H}
export const log: unknown[] = []
export class Base { set hp(v: number) { log.push(['set', v]) } get hp(): number { return 1 } }
@reloadable()
export class Hero extends Base { hp = 5 }`
    await production('define-setter', { 'h.ts': v }, 'h.ts', (m) => [shape(new m.Hero()), m.log])
  })

  it('declared fields without initialiser: own undefined under define, absent under legacy', async () => {
    const v = `${H}
@reloadable()
export class Slot { item: string | undefined; count!: number; declare tag: string; n = 1 }`
    await production('uninit-define', { 's.ts': v }, 's.ts', (m) => shape(new m.Slot()))
    await production('uninit-legacy', { 's.ts': v }, 's.ts', (m) => shape(new m.Slot()), LEGACY_FIELDS)
  })

  it('parameter properties and field initialisers that read them, in order', async () => {
    const v = `${H}
@reloadable()
export class Body { mass = 2; inertia: number; constructor(public radius: number, private density = 3) { this.inertia = this.mass * radius } area = Math.PI }`
    await production('param-props', { 'b.ts': v }, 'b.ts', (m) => shape(new m.Body(4)))
    await production('param-props-legacy', { 'b.ts': v }, 'b.ts', (m) => shape(new m.Body(4)), LEGACY_FIELDS)
  })

  it('a field added to a base in another module reaches live subclass instances in order', async () => {
    const base = (extra: string) => `${H}
@reloadable()
export class Entity { x = 0; ${extra} }`
    const sub = `${H}
import { Entity } from './base.ts'
@reloadable()
export class Enemy extends Entity { hp = 3 }`
    const r = await differential('field-base-added', {
      versions: [{ 'base.ts': base(''), 'sub.ts': sub }, { 'base.ts': base('y = 1') }],
      entry: 'sub.ts',
      setup: (m) => new m.Enemy(),
      observe: (_m, o) => [Object.keys(o).sort(), o.y, o instanceof _m.Enemy],
    })
    expect(r.hot).toEqual([['hp', 'x', 'y'], 1, true])
  })

  it('an added field whose initialiser uses another field of the live object', async () => {
    const v = (extra: string) => `${H}
@reloadable()
export class Stats { base = 10; ${extra} }`
    await differential('field-uses-other', {
      versions: [{ 's.ts': v('') }, { 's.ts': v('max = this.base * 2') }],
      entry: 's.ts',
      setup: (m) => new m.Stats(),
      observe: (_m, o) => [o.max, shape(o)],
    })
  })

  it('an added field whose initialiser calls super', async () => {
    const v = (extra: string) => `${H}
export class Base { label(): string { return 'base' } }
@reloadable()
export class Leaf extends Base { n = 1; ${extra} }`
    await differential('field-super', {
      versions: [{ 'l.ts': v('') }, { 'l.ts': v("title = super.label() + '!'") }],
      entry: 'l.ts',
      setup: (m) => new m.Leaf(),
      observe: (_m, o) => [o.title, shape(o)],
    })
  })

  it('an added field with a private-name-free arrow closing over the instance', async () => {
    const v = (extra: string) => `${H}
@reloadable()
export class Btn { clicks = 0; ${extra} }`
    await differential('field-arrow-added', {
      versions: [{ 'b.ts': v('') }, { 'b.ts': v('onClick = () => ++this.clicks') }],
      entry: 'b.ts',
      setup: (m) => new m.Btn(),
      observe: (_m, o) => [o.onClick(), o.onClick(), o.clicks, fnInfo(o.onClick), shape(o)],
    })
  })
})

describe('inheritance across modules, mixins, abstract classes, built-ins', () => {
  it('only the base module changes: a subclass method calling super runs the new base', async () => {
    const base = (n: number) => `${H}
@reloadable()
export abstract class Shape { abstract area(): number; describe(): string { return 'area=' + this.area() * ${n} } get kind(): string { return 'shape${n}' } }`
    const sub = `${H}
import { Shape } from './base.ts'
@reloadable()
export class Square extends Shape { constructor(public s = 2) { super() } area(): number { return this.s * this.s } override describe(): string { return '[' + super.describe() + ']' } override get kind(): string { return 'sq/' + super.kind } }`
    await differential('abstract-base', {
      versions: [{ 'base.ts': base(1), 'sub.ts': sub }, { 'base.ts': base(10) }],
      entry: 'sub.ts',
      setup: (m) => new m.Square(),
      observe: (m, o) => [o.describe(), o.kind, new m.Square(3).describe()],
    })
  })

  it('only the subclass changes its base from one class to another', async () => {
    const base = `${H}
@reloadable() export class Walker { move(): string { return 'walk' } }
@reloadable() export class Flyer { move(): string { return 'fly' } fly(): boolean { return true } }`
    const sub = (b: string) => `${H}
import { Walker, Flyer } from './base.ts'
export { Walker, Flyer }
@reloadable()
export class Bird extends ${b} { override move(): string { return 'bird:' + super.move() } }`
    await differential('rebase', {
      versions: [{ 'base.ts': base, 'sub.ts': sub('Walker') }, { 'sub.ts': sub('Flyer') }],
      entry: 'sub.ts',
      setup: (m) => new m.Bird(),
      observe: (m, o) => [
        o.move(),
        typeof o.fly,
        Object.getPrototypeOf(m.Bird) === m.Flyer,
        Object.getPrototypeOf(m.Bird.prototype) === m.Flyer.prototype,
        new m.Bird() instanceof m.Flyer,
        o instanceof m.Walker,
      ],
    })
  })

  it('a mixin function applied in the extends clause, mixin body edited', async () => {
    const v = (n: number) => `${H}
type Ctor<T = object> = new (...a: any[]) => T
export const Movable = <B extends Ctor>(Base: B) => class extends Base { speed = ${n}; move(): number { return ${n} * 7 } }
export class Entity { id = 1 }
@reloadable()
export class Player extends Movable(Entity) { name = 'p'; hello(): string { return 'hi' + this.move() } }`
    await production('mixin', { 'p.ts': v(1) }, 'p.ts', (m) => {
      const p = new m.Player()
      return [shape(p), p.hello(), p instanceof m.Entity, Object.getPrototypeOf(m.Player).name]
    })
    await differential('mixin', {
      versions: [{ 'p.ts': v(1) }, { 'p.ts': v(3) }],
      entry: 'p.ts',
      setup: (m) => new m.Player(),
      observe: (m, p) => [p.hello(), new m.Player().hello(), shape(new m.Player()), p instanceof m.Entity],
    })
  })

  it('a reloadable mixin result: const Mixed = reloadable()(Movable(Base))', async () => {
    const v = (n: number) => `${H}
export class Base { hp(): number { return ${n} } }
@reloadable()
export class Hero extends Base { x = 1; override hp(): number { return super.hp() + 100 } }`
    await differential('extends-plain-edited', {
      versions: [{ 'h.ts': v(1) }, { 'h.ts': v(2) }],
      entry: 'h.ts',
      setup: (m) => new m.Hero(),
      observe: (m, h) => [h.hp(), new m.Hero().hp(), h instanceof m.Base, new m.Hero() instanceof m.Base],
    })
  })

  it('a class extending Array: isArray, species, length, methods', async () => {
    const v = (n: number) => `${H}
@reloadable()
export class List extends Array<number> { sum(): number { return this.reduce((a, b) => a + b, 0) * ${n} } }`
    const look = (m: any, l: any) => {
      l.push(1, 2, 3)
      const mapped = l.map((x: number) => x * 2)
      return [
        Array.isArray(l),
        l.length,
        l.sum(),
        mapped instanceof m.List,
        mapped.constructor === m.List,
        mapped.sum(),
        m.List.from([4]).sum(),
        m.List.of(5, 6).length,
        JSON.stringify(l),
        Object.keys(l),
      ]
    }
    await production('extends-array', { 'l.ts': v(1) }, 'l.ts', (m) => look(m, new m.List()))
    await differential('extends-array', {
      versions: [{ 'l.ts': v(1) }, { 'l.ts': v(2) }],
      entry: 'l.ts',
      setup: (m) => new m.List(),
      observe: look,
    })
  })

  it('a class extending Map and one extending Set', async () => {
    const v = (n: number) => `${H}
@reloadable()
export class Counter extends Map<string, number> { bump(k: string): number { const v = (this.get(k) ?? 0) + ${n}; this.set(k, v); return v } }
@reloadable()
export class Uniq extends Set<number> { twice(): number[] { return [...this].map((x) => x * ${n}) } }`
    const look = (m: any, [c, u]: any) => [c.bump('a'), c.size, [...c], c instanceof Map, u.add(2).twice(), u instanceof Set]
    await production('extends-map', { 'c.ts': v(1) }, 'c.ts', (m) => look(m, [new m.Counter([['z', 1]]), new m.Uniq([1])]))
    await differential('extends-map', {
      versions: [{ 'c.ts': v(1) }, { 'c.ts': v(5) }],
      entry: 'c.ts',
      setup: (m) => [new m.Counter([['z', 1]]), new m.Uniq([1])],
      observe: look,
    })
  })

  it('a class extending Error: name, message, stack, instanceof, toString', async () => {
    const v = (msg: string) => `${H}
@reloadable()
export class GameError extends Error {
  override name = 'GameError'
  constructor(public code: number) { super('${msg} ' + code) }
  hint(): string { return '${msg}' }
}
export function fail(): never { throw new GameError(7) }`
    const look = (m: any) => {
      try {
        m.fail()
      } catch (e: any) {
        return [
          e instanceof m.GameError,
          e instanceof Error,
          e.name,
          e.message,
          String(e),
          e.hint(),
          typeof e.stack,
          String(e.stack).split('\n')[0],
          Object.keys(e),
          Object.prototype.toString.call(e),
        ]
      }
      return 'no throw'
    }
    await production('extends-error', { 'e.ts': v('bad') }, 'e.ts', look)
    await differential('extends-error', {
      versions: [{ 'e.ts': v('bad') }, { 'e.ts': v('worse') }],
      entry: 'e.ts',
      observe: look,
    })
  })

  it('a class extending EventTarget: dispatch reaches a handler added with addEventListener', async () => {
    const v = (n: number) => `${H}
@reloadable()
export class Bus extends EventTarget {
  hits: number[] = []
  constructor() { super(); this.addEventListener('hit', this.onHit) }
  onHit = (): void => { this.hits.push(${n}) }
  ping(): number[] { this.dispatchEvent(new Event('hit')); return this.hits }
}`
    await production('extends-eventtarget', { 'b.ts': v(1) }, 'b.ts', (m) => [new m.Bus().ping(), new m.Bus() instanceof EventTarget])
    await differential('extends-eventtarget', {
      versions: [{ 'b.ts': v(1) }, { 'b.ts': v(2) }],
      entry: 'b.ts',
      setup: (m) => new m.Bus(),
      observe: (_m, b) => b.ping(),
    })
  })

  it('a class extending node EventEmitter with on/off of a method reference', async () => {
    const v = (n: number) => `${H}
import { EventEmitter } from 'node:events'
@reloadable()
export class Room extends EventEmitter {
  got: number[] = []
  onJoin(x: number): void { this.got.push(x * ${n}) }
  attach(): void { this.on('join', this.onJoin) }
  detach(): void { this.off('join', this.onJoin) }
}`
    await differential('extends-emitter', {
      versions: [{ 'r.ts': v(1) }, { 'r.ts': v(10) }],
      entry: 'r.ts',
      setup: (m) => {
        const r = new m.Room()
        r.attach()
        return r
      },
      observe: (_m, r) => {
        r.emit('join', 1)
        r.detach()
        r.emit('join', 2)
        return [r.got, r.listenerCount('join')]
      },
    })
  })
})

/** A pixi-like ticker, an emitter with (fn, ctx) pairs, and a fake timer queue: plain library code. */
const LIB = `
export class Ticker {
  listeners: Array<[Function, unknown]> = []
  add(fn: Function, ctx?: unknown): this { this.listeners.push([fn, ctx]); return this }
  remove(fn: Function, ctx?: unknown): this { this.listeners = this.listeners.filter(([f, c]) => f !== fn || c !== ctx); return this }
  has(fn: Function): boolean { return this.listeners.some(([f]) => f === fn) }
  tick(): unknown[] { return this.listeners.map(([f, c]) => f.call(c, 16)) }
}
export const timers: Function[] = []
export function later(fn: Function): number { return timers.push(fn) }
export function runTimers(): unknown[] { return timers.map((f) => f()) }
`

describe('references: handed-out methods run the newest body', () => {
  const run = async (name: string, v: (n: number) => string, observe: (m: any, ctx: any) => unknown, setup?: (m: any) => any) =>
    differential(name, {
      versions: [{ 'lib.ts': LIB, 'm.ts': v(1) }, { 'm.ts': v(2) }],
      entry: 'm.ts',
      setup: setup ?? ((m) => m.make()),
      observe,
    })

  it('an array literal of methods (a pipeline) built in the constructor', async () => {
    const v = (n: number) => `${H}
@reloadable()
export class Pipe {
  steps: Array<(x: number) => number> = [this.double, this.inc]
  double(x: number): number { return x * ${n + 1} }
  inc(x: number): number { return x + ${n} }
  run(x: number): number { return this.steps.reduce((a, f) => f(a), x) }
}
export const make = () => new Pipe()`
    const r = await run('ref-array', v, (_m, p) => p.run(1))
    expect(r.hot).toBe(5)
  })

  it('an object literal handler table of method references', async () => {
    const v = (n: number) => `${H}
@reloadable()
export class Input {
  log: string[] = []
  keys: Record<string, (k: string) => void> = { a: this.left, d: this.right }
  left(k: string): void { this.log.push('L${n}' + k) }
  right(k: string): void { this.log.push('R${n}' + k) }
  press(k: string): string[] { this.keys[k]!.call(this, k); return this.log }
}
export const make = () => new Input()`
    await run('ref-table', v, (_m, i) => i.press('a'))
  })

  it('a method returned from a method and held by the caller', async () => {
    const v = (n: number) => `${H}
import { later } from './lib.ts'
@reloadable()
export class Ai {
  level = 3
  pick(): () => number { return this.hard }
  hard(this: Ai): number { return this.level * ${n} }
  arm(): void { const f = this.pick(); later(() => f.call(this)) }
}
export { runTimers } from './lib.ts'
export const make = () => { const a = new Ai(); a.arm(); return a }`
    const r = await run('ref-returned', v, (m) => m.runTimers())
    expect(r.hot).toEqual([6])
  })

  it('a state machine that stores a method and compares it later', async () => {
    const v = (n: number) => `${H}
@reloadable()
export class Npc {
  state: () => string = this.idle
  idle(): string { return 'idle${n}' }
  chase(): string { return 'chase${n}' }
  step(): string { if (this.state === this.idle) this.state = this.chase; else this.state = this.idle; return this.state() }
  isIdle(): boolean { return this.state === this.idle }
}
export const make = () => new Npc()`
    await production('ref-state-machine', { 'm.ts': v(1) }, 'm.ts', (m) => {
      const npc = new m.Npc()
      return [npc.isIdle(), npc.step(), npc.step(), npc.isIdle()]
    })
    await run('ref-state-machine', v, (_m, npc) => [npc.isIdle(), npc.step(), npc.step(), npc.isIdle()])
  })

  it('a conditional expression hands out one of two methods', async () => {
    const v = (n: number) => `${H}
import { Ticker } from './lib.ts'
export const ticker = new Ticker()
@reloadable()
export class Cam {
  constructor(fast: boolean) { ticker.add(fast ? this.snap : this.ease, this) }
  snap(): string { return 'snap${n}' }
  ease(): string { return 'ease${n}' }
}
export const make = () => [new Cam(true), new Cam(false)]`
    const r = await run('ref-conditional', v, (m) => m.ticker.tick())
    expect(r.hot).toEqual(['snap2', 'ease2'])
  })

  it('a method put into a Map by set() and called later', async () => {
    const v = (n: number) => `${H}
@reloadable()
export class Router {
  routes = new Map<string, (x: number) => number>()
  constructor() { this.routes.set('a', this.onA) }
  onA(x: number): number { return x + ${n * 100} }
  go(k: string): number { return this.routes.get(k)!(1) }
}
export const make = () => new Router()`
    const r = await run('ref-map-set', v, (_m, r) => r.go('a'))
    expect(r.hot).toBe(201)
  })

  it('a static method handed to a timer', async () => {
    const v = (n: number) => `${H}
import { later } from './lib.ts'
export { runTimers } from './lib.ts'
@reloadable()
export class Spawner { static wave(): number { return ${n} } static arm(): void { later(Spawner.wave); later(this.wave) } }
export const make = () => Spawner.arm()`
    const r = await run('ref-static', v, (m) => m.runTimers())
    expect(r.hot).toEqual([2, 2])
  })

  it('a super method handed out by a subclass', async () => {
    const v = (n: number) => `${H}
import { Ticker } from './lib.ts'
export const ticker = new Ticker()
@reloadable()
export class Base { update(): string { return 'base${n}' } }
@reloadable()
export class Sub extends Base { constructor() { super(); ticker.add(super.update, this) } override update(): string { return 'sub' } }
export const make = () => new Sub()`
    const r = await run('ref-super', v, (m) => m.ticker.tick())
    expect(r.hot).toEqual(['base2'])
  })

  it('a computed-member read this[name] handed to a ticker', async () => {
    const v = (n: number) => `${H}
import { Ticker } from './lib.ts'
export const ticker = new Ticker()
@reloadable()
export class Dyn { constructor(which: 'up' | 'down') { ticker.add(this[which], this) } up(): number { return ${n} } down(): number { return -${n} } }
export const make = () => [new Dyn('up'), new Dyn('down')]`
    const r = await run('ref-computed', v, (m) => m.ticker.tick())
    expect(r.hot).toEqual([2, -2])
  })

  it('an optional bind: this.onX?.bind(this)', async () => {
    const v = (n: number) => `${H}
import { later } from './lib.ts'
export { runTimers } from './lib.ts'
@reloadable()
export class Opt { constructor() { const f = this.onX?.bind(this); if (f) later(f) } onX(): number { return ${n} } }
export const make = () => new Opt()`
    const r = await run('ref-optional-bind', v, (m) => m.runTimers())
    expect(r.hot).toEqual([2])
  })

  it('a bound method with partial arguments', async () => {
    const v = (n: number) => `${H}
import { later } from './lib.ts'
export { runTimers } from './lib.ts'
@reloadable()
export class Part { constructor() { later(this.hit.bind(this, 5)) } hit(d: number): number { return d * ${n} } }
export const make = () => new Part()`
    const r = await run('ref-partial', v, (m) => m.runTimers())
    expect(r.hot).toEqual([10])
  })

  it('a promise callback registered before the swap, resolved after', async () => {
    const v = (n: number) => `${H}
@reloadable()
export class Loader {
  done!: (v: number) => void
  result: Promise<number>
  constructor() { this.result = new Promise<number>((r) => (this.done = r)).then(this.onLoaded) }
  onLoaded(v: number): number { return v * ${n} }
}
export const make = () => new Loader()`
    const r = await run('ref-promise', v, async (_m, l) => {
      l.done(21)
      return await l.result
    })
    expect(r.hot).toBe(42)
  })

  it('addEventListener / removeEventListener with the same method reference across a swap', async () => {
    const v = (n: number) => `${H}
export const target = new EventTarget()
export const got: number[] = []
@reloadable()
export class Keys {
  onKey(): void { got.push(${n}) }
  attach(): void { target.addEventListener('key', this.onKey) }
  detach(): void { target.removeEventListener('key', this.onKey) }
}
export const make = () => { const k = new Keys(); k.attach(); return k }`
    const r = await run('ref-dom-listener', v, (m, k) => {
      m.target.dispatchEvent(new Event('key'))
      k.detach()
      m.target.dispatchEvent(new Event('key'))
      return m.got
    })
    expect(r.hot).toEqual([2])
  })

  it('emitter once() with (fn, ctx) and an off() before it fired', async () => {
    const v = (n: number) => `${H}
import EventEmitter from 'eventemitter3'
export const bus = new EventEmitter()
@reloadable()
export class Door {
  opened: number[] = []
  constructor() { bus.once('open', this.onOpen, this); bus.on('close', this.onClose, this) }
  onOpen(): void { this.opened.push(${n}) }
  onClose(): void { bus.off('close', this.onClose, this) }
}
export const make = () => new Door()`
    const r = await run('ref-once', v, (m, d) => {
      m.bus.emit('open')
      m.bus.emit('open')
      m.bus.emit('close')
      return [d.opened, m.bus.listenerCount('close'), m.bus.listenerCount('open')]
    })
    expect(r.hot).toEqual([[2], 0, 0])
  })

  it('a handed-out method removed by the next version and re-added by the one after', async () => {
    const v = (body: string) => `${H}
import { Ticker } from './lib.ts'
export const ticker = new Ticker()
@reloadable()
export class Blink { constructor() { ticker.add(this.blink, this) } ${body} }
export const make = () => new Blink()`
    const r = await differential('ref-remove-readd', {
      versions: [
        { 'lib.ts': LIB, 'm.ts': v("blink(): string { return 'on' }") },
        { 'm.ts': v('') },
        { 'm.ts': v("blink(): string { return 'again' }") },
      ],
      entry: 'm.ts',
      setup: (m) => m.make(),
      observe: (m) => m.ticker.tick(),
    })
    expect(r.hot).toEqual(['again'])
  })

  it('forwarders look like the method to reflection: name, length, kind, prototype', async () => {
    const v = `${H}
import { Ticker } from './lib.ts'
export const ticker = new Ticker()
@reloadable()
export class Ship {
  constructor() { ticker.add(this.update, this); ticker.add(this.load, this); ticker.add(Ship.spawn) }
  update(dt: number, scale = 1): number { return dt * scale }
  async load(a: number): Promise<number> { return a }
  static spawn(x: number): number { return x }
}
export const make = () => new Ship()`
    await production('ref-reflection', { 'lib.ts': LIB, 'm.ts': v }, 'm.ts', (m) => {
      m.make()
      return m.ticker.listeners.map(([f]: [Function]) => fnInfo(f))
    })
  })

  it('a handed-out generator method is still a generator function to reflection', async () => {
    const v = `${H}
import { Ticker } from './lib.ts'
export const ticker = new Ticker()
@reloadable()
export class Ship { constructor() { ticker.add(this.steps, this) } *steps(a: number, b: number): Generator<number> { yield a + b } }
export const make = () => new Ship()`
    await production('ref-generator-kind', { 'lib.ts': LIB, 'm.ts': v }, 'm.ts', (m) => {
      m.make()
      return m.ticker.listeners.map(([f]: [Function]) => fnInfo(f))
    })
  })

  it('a handed-out method compared with the method read later (identity)', async () => {
    const v = `${H}
import { Ticker } from './lib.ts'
export const ticker = new Ticker()
@reloadable()
export class Hud {
  constructor() { ticker.add(this.draw, this) }
  draw(): number { return 1 }
  attached(): boolean { return ticker.has(this.draw) }
  same(): boolean { return ticker.listeners[0]![0] === this.draw }
}
export const make = () => new Hud()`
    await production('ref-identity', { 'lib.ts': LIB, 'm.ts': v }, 'm.ts', (m) => {
      const h = m.make()
      return [h.attached(), h.same(), m.ticker.listeners[0][0] === m.Hud.prototype.draw]
    })
  })
})
