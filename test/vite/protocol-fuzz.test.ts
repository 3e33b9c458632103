import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import WebSocket from 'ws'
import type { Plugin } from 'vite'
import { MAX_IDS_PER_MESSAGE, parseClientMessage } from '../../src/client/protocol.ts'
import { enemyTs, indexHtml, mainTs, startFixture } from '../e2e/probe-harness.ts'
import type { Fixture } from '../e2e/probe-harness.ts'

/**
 * Vite's HMR socket accepts any local process (no Origin header, no token). Whatever such a process
 * sends must never end the dev server or stop it serving the game (issue 12: one `applied` message with
 * `modules: 5` used to kill it). These tests talk to a real dev server over a real WebSocket; no browser.
 */

interface Frame {
  type: string
  event?: string
  data?: { pending?: Array<{ id: string }>; problems?: unknown[] }
}

/** A raw HMR socket, as any local process can open one, with the frames the server sent it. */
class Socket {
  readonly frames: Frame[] = []
  private readonly ws: WebSocket
  private waiters = new Set<() => void>()
  readonly open: Promise<void>

  constructor(url: string) {
    this.ws = new WebSocket(url.replace(/^http/, 'ws'), 'vite-hmr')
    this.open = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve())
      this.ws.once('error', reject)
    })
    this.ws.on('message', (raw) => {
      this.frames.push(JSON.parse(String(raw)) as Frame)
      for (const w of this.waiters) w()
    })
  }

  raw(text: string): void {
    this.ws.send(text)
  }

  custom(event: string, data?: unknown): void {
    this.raw(JSON.stringify(data === undefined ? { type: 'custom', event } : { type: 'custom', event, data }))
  }

  /** Resolve with the next frame (after those seen so far) that matches. */
  next(match: (f: Frame) => boolean, timeoutMs = 10_000): Promise<Frame> {
    const from = this.frames.length
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.frames.slice(from).find(match)
        if (hit) {
          done()
          resolve(hit)
        }
      }
      const timer = setTimeout(() => {
        done()
        reject(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames.slice(from))}`))
      }, timeoutMs)
      const done = () => {
        clearTimeout(timer)
        this.waiters.delete(check)
      }
      this.waiters.add(check)
    })
  }

  /**
   * Say hello and wait for the answer. The server handles one socket's messages in order, so once the
   * state for this hello arrives, everything sent before it has been handled.
   */
  async hello(): Promise<Frame> {
    const state = this.next((f) => f.event === 'hotclass:state')
    this.custom('hotclass:hello', {})
    return state
  }

  close(): void {
    this.ws.close()
  }
}

let fx: Fixture
const transforms = new Map<string, number>()
const unhandled: unknown[] = []
const onUnhandled = (reason: unknown) => unhandled.push(reason)

/** Counts the transforms of each project file: a re-stamp costs one. */
const countTransforms: Plugin = {
  name: 'count-transforms',
  transform(_code, id) {
    const file = id
      .replace(/[?#].*$/, '')
      .split('/')
      .pop()!
    transforms.set(file, (transforms.get(file) ?? 0) + 1)
  },
}

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled)
  fx = await startFixture(
    'fuzz',
    { 'index.html': indexHtml, 'main.ts': mainTs(), 'Enemy.ts': enemyTs('v1') },
    { mode: 'probe' },
    { plugins: [countTransforms] },
  )
})

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled)
  await fx?.close()
})

/** The dev server still serves the game's modules and a fresh client still gets its state. */
async function expectServing(): Promise<void> {
  const response = await fetch(new URL('Enemy.ts', fx.url))
  expect(response.status).toBe(200)
  expect(await response.text()).toContain('describe()')
  const client = new Socket(fx.url)
  await client.open
  const state = await client.hello()
  expect(state.data?.pending).toEqual(expect.any(Array))
  client.close()
  expect(unhandled).toEqual([])
}

const events = ['hotclass:hello', 'hotclass:applied', 'hotclass:restamp'] as const

describe('the messages that used to end the dev server are dropped', () => {
  test.each([
    ['applied with modules: 5', 'hotclass:applied', { modules: 5 }],
    ['applied with modules: [null]', 'hotclass:applied', { modules: [null] }],
    ['applied with no data', 'hotclass:applied', undefined],
    ['restamp with ids: 5', 'hotclass:restamp', { ids: 5 }],
    ['restamp with ids: null', 'hotclass:restamp', { ids: null }],
  ])('%s', async (_name, event, data) => {
    const attacker = new Socket(fx.url)
    await attacker.open
    // Said hello first, so the server has a page for this socket and reaches the handlers' code.
    await attacker.hello()
    attacker.custom(event, data)
    await attacker.hello()
    attacker.close()
    await expectServing()
  })
})

/** Values a careless or hostile client might send in place of a field. */
const junk = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.constantFrom(null, 5, -0, 1e308, '', 'x'.repeat(5000), [], {}, true),
  fc.array(fc.oneof(fc.constant(null), fc.string(), fc.record({ id: fc.string(), t: fc.anything() })), {
    maxLength: 50,
  }),
)
/** Nesting deeper than a naive recursive walk survives, as JSON text (JSON.parse copes with it). */
const deep = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
const huge = JSON.stringify(Array.from({ length: 100_000 }, (_, i) => `src/${i}.ts`))
/** Whole frames, kept as text so fast-check never has to print the deep ones. */
const frame = (event: string, data: string) => `{"type":"custom","event":"${event}","data":${data}}`

const message = fc.oneof(
  // A known event with a payload of the wrong shape, or of the right shape with junk inside.
  fc.record({ event: fc.constantFrom(...events), data: fc.oneof(junk, fc.record({ modules: junk, ids: junk })) }),
  fc.record({
    event: fc.constant('hotclass:applied'),
    data: fc.record({ modules: fc.array(fc.record({ id: fc.string(), t: fc.double() }), { maxLength: 20 }) }),
  }),
  fc.record({ event: fc.constant('hotclass:restamp'), data: fc.record({ ids: fc.array(fc.string()) }) }),
  // Unknown events, in and out of the namespace.
  fc.record({
    event: fc.oneof(
      fc.string(),
      fc.string().map((s) => `hotclass:${s}`),
    ),
    data: junk,
  }),
)

/** Frames that are not custom events at all: not JSON, JSON of the wrong type, binary-ish text. */
const rawFrame = fc.oneof(
  fc.string(),
  fc.constantFrom('{', 'null', '[]', '{"type":"custom"}', '{"type":"custom","event":null}', '\u0000\uffff'),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.constantFrom(
    frame('hotclass:restamp', `{"ids":${huge}}`),
    frame('hotclass:applied', `{"modules":${huge.replace(/"src\/(\d+)\.ts"/g, '{"id":"src/$1.ts","t":1}')}}`),
    frame('hotclass:applied', deep(5000)),
    frame('hotclass:restamp', `{"ids":[${deep(1000)}]}`),
    frame('hotclass:hello', deep(5000)),
  ),
)

describe('random and malformed messages never stop the dev server', () => {
  test('a fuzzed stream of messages is survived and the game is still served', async () => {
    const attacker = new Socket(fx.url)
    await attacker.open
    await attacker.hello()
    let sent = 0
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(message, rawFrame), { minLength: 1, maxLength: 20 }), async (batch) => {
        for (const item of batch) {
          if (typeof item === 'string') attacker.raw(item)
          else attacker.custom(item.event, item.data)
          sent++
        }
        // Everything sent before it has been handled once this hello is answered.
        await attacker.hello()
      }),
      { numRuns: 60 },
    )
    attacker.close()
    expect(sent).toBeGreaterThan(60)
    await expectServing()
  })
})

describe('a re-stamp storm is bounded', () => {
  test('300 re-stamps of a pending module cost a couple of transforms, and the page hears of it', async () => {
    const page = new Socket(fx.url)
    await page.open
    await page.hello()
    const pending = page.next((f) => f.event === 'hotclass:state' && (f.data?.pending?.length ?? 0) > 0)
    await fx.write('Enemy.ts', enemyTs('v2'))
    await pending
    const before = transforms.get('Enemy.ts') ?? 0
    const restamped = page.next((f) => f.event === 'hotclass:state')
    for (let i = 0; i < 300; i++) page.custom('hotclass:restamp', { ids: ['Enemy.ts'] })
    await restamped
    // Handled in order: once this hello is answered, every re-stamp request has been received.
    await page.hello()
    // One re-stamp for the burst, perhaps one more for requests that arrived while it ran.
    await fx.server.environments['client']!.waitForRequestsIdle?.()
    const cost = (transforms.get('Enemy.ts') ?? 0) - before
    expect(cost).toBeGreaterThan(0)
    expect(cost).toBeLessThanOrEqual(3)
    page.close()
    await expectServing()
  })
})

describe('the boundary parser: the typed message or a reason, never a throw', () => {
  test('any value for any event parses without throwing, and what it accepts has the protocol types', () => {
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...events), fc.string()), fc.anything(), (event, data) => {
        const parsed = parseClientMessage(event, data)
        if (!parsed.ok) {
          expect(parsed.reason).toEqual(expect.any(String))
          return
        }
        const m = parsed.message
        expect(m.type).toBe(event)
        if (m.type === 'hotclass:applied') {
          for (const x of m.modules) expect([typeof x.id, Number.isFinite(x.t)]).toEqual(['string', true])
        }
        if (m.type === 'hotclass:restamp') for (const id of m.ids) expect(typeof id).toBe('string')
      }),
    )
  })

  test('well-formed messages are accepted as they are; too many ids is refused', () => {
    expect(parseClientMessage('hotclass:applied', { modules: [{ id: 'a.ts', t: 1 }] })).toEqual({
      ok: true,
      message: { type: 'hotclass:applied', modules: [{ id: 'a.ts', t: 1 }] },
    })
    expect(parseClientMessage('hotclass:restamp', { ids: ['a.ts'] })).toEqual({
      ok: true,
      message: { type: 'hotclass:restamp', ids: ['a.ts'] },
    })
    const ids = Array.from({ length: MAX_IDS_PER_MESSAGE + 1 }, (_, i) => `${i}.ts`)
    expect(parseClientMessage('hotclass:restamp', { ids }).ok).toBe(false)
  })
})
