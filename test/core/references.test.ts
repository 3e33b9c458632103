import { EventEmitter } from 'node:events'
import { afterAll, describe, expect, test } from 'vitest'
import { reportWarnings, rollback } from '../../src/index.ts'
import { scenario } from '../helpers/scenario.ts'

/**
 * Every way game code holds a method of a reloadable class runs the newest body after a swap, and a
 * holder that compares identities (`off`, `removeEventListener`) finds what it was given.
 */

const s = scenario('references')
afterAll(() => s.cleanup())

/** A ticker like pixi's: `(fn, context)` pairs called every tick, removed by identity. */
const ticker = `
export class Ticker {
  listeners: Array<[Function, unknown]> = []
  add(fn: Function, ctx?: unknown): void { this.listeners.push([fn, ctx]) }
  remove(fn: Function, ctx?: unknown): void { this.listeners = this.listeners.filter(([f, c]) => f !== fn || c !== ctx) }
  tick(): unknown[] { return this.listeners.map(([f, c]) => f.call(c)) }
}`

const screen = (n: number, extra = '') => `
import { reloadable } from 'HOTCLASS'
import type { Ticker } from './ticker.ts'
import type { EventEmitter } from 'node:events'
@reloadable()
export class Screen {
  bound: () => number
  timerHits: number[] = []
  constructor(public ticker: Ticker, emitter: EventEmitter) {
    ticker.add(this.update, this)
    emitter.on('hit', this.onHit.bind(this))
    this.bound = this.update.bind(this)
  }
  update(): number { return ${n} }
  onHit(): number { return this.timerHits.push(${n}) }
  detach(): void { this.ticker.remove(this.update, this) }
  static make(): string { return 'make${n}' }
  ${extra}
}
export const held = { update: Screen.prototype.update, make: Screen.make }`

describe('handed-out methods follow swaps', () => {
  test('ticker (fn, ctx) pairs, bind, emitters, bare prototype functions and static hooks run the newest body', async () => {
    s.write('ticker.ts', ticker)
    s.write('screen.ts', screen(1))
    const { Ticker } = await s.load<any>('ticker.ts')
    const { Screen, held } = await s.load<any>('screen.ts')
    const emitter = new EventEmitter()
    const t = new Ticker()
    const sc = new Screen(t, emitter)
    const { update, make } = held
    expect(t.tick()).toEqual([1])
    const report = await s.swap('screen.ts', screen(2))
    expect(report.ok, report.error?.message).toBe(true)
    expect(t.tick()).toEqual([2])
    expect(sc.bound()).toBe(2)
    emitter.emit('hit')
    expect(sc.timerHits).toEqual([2])
    expect(update.call(sc)).toBe(2)
    expect(make()).toBe('make2')
    // Calls through the prototype meet the method itself, not a forwarder.
    expect(Screen.prototype.update.name).toBe('update')
  })

  test('identity-compared removal works across swaps', async () => {
    s.write('screen2.ts', screen(1).replaceAll('Screen', 'Screen2'))
    const { Ticker } = await s.load<any>('ticker.ts')
    const { Screen2 } = await s.load<any>('screen2.ts')
    const t = new Ticker()
    const sc = new Screen2(t, new EventEmitter())
    await s.swap('screen2.ts', screen(3).replaceAll('Screen', 'Screen2'))
    sc.detach()
    expect(t.tick()).toEqual([])
  })

  test('removing a method and adding it back keeps the holder working; rollback brings the old body back', async () => {
    s.write('screen3.ts', screen(1).replaceAll('Screen', 'Screen3'))
    const { Ticker } = await s.load<any>('ticker.ts')
    const { Screen3 } = await s.load<any>('screen3.ts')
    const t = new Ticker()
    expect(new Screen3(t, new EventEmitter())).toBeInstanceOf(Screen3)
    await s.swap('screen3.ts', screen(5).replaceAll('Screen', 'Screen3'))
    expect(t.tick()).toEqual([5])
    await rollback()
    expect(t.tick()).toEqual([1])
  })

  test('a removed method whose parameters are not plain keeps running for its holders', async () => {
    // A default parameter (or `arguments`, a rest) makes the forwarder pass its arguments as they came;
    // once the class drops the method its slot reads undefined, which the forwarder must not call.
    const mod = (body: string) => `
import { reloadable } from 'HOTCLASS'
@reloadable() export class Gauge { ${body} }
export function grab(g: Gauge): Function { return (g as any).read.bind(g) }`
    s.write('gauge.ts', mod('read(scale = 2): number { return 21 * scale }'))
    const { Gauge, grab } = await s.load<any>('gauge.ts')
    const read = grab(new Gauge())
    expect(read()).toBe(42)
    const report = await s.swap('gauge.ts', mod('other(): number { return 0 }'))
    expect(report.ok, report.error?.message).toBe(true)
    expect(Gauge.prototype.read).toBeUndefined()
    expect(read()).toBe(42)
    expect(read(1)).toBe(21)
  })

  test('a handed-out method is a forwarder compiled for it, with its parameter list (the fast path)', async () => {
    // The compiled forwarder is what V8 folds and inlines; a failure to compile it falls back to a shared
    // closure that works but costs a ticker 3x, so a mistake there shows only here.
    s.write(
      'dial.ts',
      `
import { reloadable } from 'HOTCLASS'
@reloadable() export class Dial { turn(by: number, times: number): number { return by * times } }
export function grab(d: Dial): Function { return d.turn }`,
    )
    const { Dial, grab } = await s.load<any>('dial.ts')
    const turn = grab(new Dial())
    expect(turn).not.toBe(Dial.prototype.turn)
    expect(Function.prototype.toString.call(turn)).toMatch(/^"turn"\(a0, a1\) \{/)
    expect(turn.length).toBe(2)
  })

  test('super calls through a handed-out subclass method reach the patched base', async () => {
    const base = (n: number) => `
import { reloadable } from 'HOTCLASS'
@reloadable() export class Unit { step(): number { return ${n} } }`
    const sub = `
import { reloadable } from 'HOTCLASS'
import { Unit } from './unit.ts'
@reloadable() export class Archer extends Unit { override step(): number { return super.step() * 10 } }
export function grab(a: Archer): () => number { return a.step.bind(a) }`
    s.write('unit.ts', base(1))
    s.write('archer.ts', sub)
    const { Archer, grab } = await s.load<any>('archer.ts')
    const step = grab(new Archer())
    expect(step()).toBe(10)
    await s.swap('unit.ts', base(7))
    expect(step()).toBe(70)
  })
})

describe('function-valued fields follow swaps in place', () => {
  const room = (n: number, extra = '') => `
import { reloadable } from 'HOTCLASS'
import type { EventEmitter } from 'node:events'
export const registered = new Map<string, Function>()
@reloadable()
export class Room {
  moved: number[] = []
  messages = { move: (m: number) => this.moved.push(m * ${n}) ${extra} }
  onPing = () => 'pong${n}'
  constructor(emitter: EventEmitter) {
    for (const [type, fn] of Object.entries(this.messages)) registered.set(type, fn)
    emitter.on('ping', this.onPing)
  }
}`

  test('a handler table registered once and an arrow field handed to an emitter run the new source; off() finds it', async () => {
    s.write('room.ts', room(1))
    const { Room, registered } = await s.load<any>('room.ts')
    const emitter = new EventEmitter()
    const pongs: string[] = []
    emitter.on('ping', () => void 0)
    const r = new Room(emitter)
    const table = r.messages
    const report = await s.swap('room.ts', room(10, `, jump: (h: number) => this.moved.push(-h)`))
    expect(report.ok, report.error?.message).toBe(true)
    registered.get('move')!(2)
    expect(r.moved).toEqual([20])
    expect(r.messages).toBe(table) // the live table, with the new entry added
    r.messages.jump(3)
    expect(r.moved).toEqual([20, -3])
    pongs.push(...emitter.listeners('ping').map((f) => String(f())))
    expect(pongs).toContain('pong10')
    emitter.off('ping', r.onPing)
    expect(emitter.listenerCount('ping')).toBe(1)
  })
})

describe('forwarders look like what they stand for', () => {
  test('an arrow-function field keeps its name and length; a handler table entry its key', async () => {
    s.write(
      'named.ts',
      `import { reloadable } from 'HOTCLASS'
@reloadable() export class Named { onHit = (a: number, b: number) => a + b; table = { move: (m: number) => m } }`,
    )
    const { Named } = await s.load<any>('named.ts')
    const n = new Named()
    expect(n.onHit.name).toBe('onHit')
    expect(n.onHit.length).toBe(2)
    expect(n.table.move.name).toBe('move')
    expect('prototype' in n.onHit).toBe(false)
  })
})

describe('what cannot be redirected is named', () => {
  test('a handed-out method of a plain class that a swap replaced is a warning with where it was handed out', async () => {
    const mod = (n: number) => `
import { reloadable } from 'HOTCLASS'
export class Helper { tick(): number { return ${n} } }
export const helper = new Helper()
export const held: Function[] = []
@reloadable() export class Owner { grab(): void { held.push(helper.tick) } }`
    s.write('plain-held.ts', mod(1))
    const { Owner, held } = await s.load<any>('plain-held.ts')
    new Owner().grab()
    const report = await s.swap('plain-held.ts', mod(2))
    expect(report.ok, report.error?.message).toBe(true)
    expect(held[0]()).toBe(1) // a plain class's method is the method itself: it stays old
    expect(reportWarnings(report).join('\n')).toMatch(
      /Helper\.tick was handed out in test\/\.tmp\/.*plain-held\.ts and keeps running the old code: Helper is not reloadable/,
    )
  })
})
