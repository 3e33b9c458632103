import { EventEmitter } from 'node:events'
import fc from 'fast-check'
import { afterAll, describe, expect, test } from 'vitest'
import { rollback } from '../../src/index.ts'
import { propertyOptions } from '../helpers/runs.ts'
import { scenario } from '../helpers/scenario.ts'

/**
 * Every way of holding a method runs the newest body, whatever the sequence of versions: methods edited,
 * removed and added back, made async or generators, a base's method reached through `super`, and
 * rollbacks. Holders: a ticker-style `(fn, ctx)` pair, a bound function, a bare prototype function
 * called with `.call`, an EventEmitter listener, a handler table, and a removal by identity.
 */

const s = scenario('property-references')
afterAll(() => s.cleanup())

type Kind = 'plain' | 'async' | 'generator'
interface Version {
  /** The subclass's `act` (undefined: removed, the base's is inherited). */
  act: { tag: number; kind: Kind; callsSuper: boolean } | undefined
  /** The base's `act`. */
  base: number
}

const version: fc.Arbitrary<Version> = fc.record({
  act: fc.option(
    fc.record({
      tag: fc.integer({ min: 0, max: 9 }),
      kind: fc.constantFrom<Kind>('plain', 'async', 'generator'),
      callsSuper: fc.boolean(),
    }),
    { nil: undefined },
  ),
  base: fc.integer({ min: 0, max: 9 }),
})

const step = fc.oneof(
  { weight: 4, arbitrary: version.map((v) => ({ swap: v }) as const) },
  { weight: 1, arbitrary: fc.constant({ rollback: true } as const) },
)

function source(v: Version, id: number): string {
  const act = v.act
  const body = act ? `${act.callsSuper ? `'s' + super.act() + ` : ''}'a${act.tag}'` : ''
  const method = !act
    ? ''
    : act.kind === 'async'
      ? `async act(): Promise<string> { return ${body} }`
      : act.kind === 'generator'
        ? `*act(): Generator<string> { yield ${body} }`
        : `act(): string { return ${body} }`
  return `import { reloadable } from 'HOTCLASS'
import type { EventEmitter } from 'node:events'
@reloadable() export class B${id} { act(): string { return 'b${v.base}' } }
@reloadable() export class C${id} extends B${id} {
  ${method}
  hold(ticker: Array<[Function, unknown]>, emitter: EventEmitter, table: Record<string, Function>): Function[] {
    ticker.push([this.act, this])
    emitter.on('act', this.act.bind(this))
    table.act = this.act
    return [this.act.bind(this), C${id}.prototype.act]
  }
  release(ticker: Array<[Function, unknown]>): void {
    remove(ticker, this.act, this)
  }
}
/** A library's removal by identity (a ticker's remove(fn, ctx)). */
function remove(ticker: Array<[Function, unknown]>, fn: Function, ctx: unknown): void {
  const i = ticker.findIndex(([f, c]) => f === fn && c === ctx)
  if (i >= 0) ticker.splice(i, 1)
}`
}

/** What a call of `act` gives, awaited and drained, as one string. */
async function result(value: unknown): Promise<string> {
  // An async method's holder keeps an async forwarder: a later version that is a generator or plain
  // comes wrapped in a promise (README, Limits).
  // A generator method's holder keeps a generator forwarder: a later version that is not a generator
  // gives a generator that returns its result (README, Limits), read here with what it yields.
  const v = value instanceof Promise ? await value : value
  if (v && typeof v === 'object' && Symbol.iterator in v) {
    const it = (v as Iterable<string>)[Symbol.iterator]() as Iterator<string, unknown>
    let out = ''
    for (let r = it.next(); ; r = it.next()) {
      if (!r.done) out += r.value
      else return r.value === undefined ? out : out + (await result(r.value))
    }
  }
  return String(v)
}

function expected(v: Version): string {
  const act = v.act
  if (!act) return `b${v.base}`
  return `${act.callsSuper ? `sb${v.base}` : ''}a${act.tag}`
}

let run = 0

describe('handed-out methods follow any sequence of versions', () => {
  test('tickers, bind, bare prototype functions, emitters and tables run the newest body; removal by identity works', async () => {
    await fc.assert(
      fc.asyncProperty(version, fc.array(step, { minLength: 1, maxLength: 6 }), async (first, steps) => {
        const id = ++run
        const file = `refs-${id}.ts`
        s.write(file, source(first, id))
        const mod = await s.load<Record<string, any>>(file)
        const C = mod[`C${id}`]
        const live = new C()
        const ticker: Array<[Function, unknown]> = []
        const emitter = new EventEmitter()
        const table: Record<string, Function> = {}
        const [bound, bare] = live.hold(ticker, emitter, table) as Function[]
        // The versions a rollback goes back through: only committed swaps are steps.
        const stack: Version[] = [first]
        for (const st of steps) {
          if ('swap' in st) {
            const report = await s.swap(file, source(st.swap, id))
            expect(report.ok, report.error?.message).toBe(true)
            stack.push(st.swap)
          } else if (stack.length > 1) {
            expect((await rollback()).ok).toBe(true)
            stack.pop()
          }
          const now = stack.at(-1)!
          const want = expected(now)
          // A holder given a method the subclass inherited follows the base's method (README, Limits:
          // it keeps forwarding there if the subclass adds its own later); a fresh lookup finds the own one.
          const held = first.act === undefined ? `b${now.base}` : want
          expect(await result(ticker[0]![0].call(ticker[0]![1]))).toBe(held)
          expect(await result(bound!())).toBe(held)
          expect(await result(bare!.call(live))).toBe(held)
          expect(await result(table['act']!.call(live))).toBe(held)
          const heard: unknown[] = []
          for (const listener of emitter.listeners('act')) heard.push(listener())
          expect(await result(heard[0])).toBe(held)
          expect(await result(live.act())).toBe(want)
        }
        // The function the ticker was given is the one the code passes later, while the same class owns
        // the method (a subclass that adds or drops its own override hands out another class's forwarder).
        live.release(ticker)
        const sameOwner = (first.act === undefined) === (stack.at(-1)!.act === undefined)
        if (sameOwner) expect(ticker).toEqual([])
      }),
      propertyOptions(30),
    )
  }, 120_000)
})
