import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { harness } from './harness.ts'
import type { Harness } from './harness.ts'

let h: Harness
beforeAll(async () => {
  h = await harness('once')
})
afterAll(() => h.close())

const events: string[] = []
;(globalThis as { onceEvents?: string[] }).onceEvents = events
beforeEach(() => {
  events.length = 0
})

/** A module that registers a "ticker" once and labels each version with dispose(). */
function game(tickerTag: string, version: string, tail = ''): string {
  return `
import { once, dispose } from 'hotclass'
const events = (globalThis as any).onceEvents as string[]
export function tick() { return '${version}' }
once(() => {
  events.push('setup ${tickerTag}')
  return () => events.push('teardown ${tickerTag}')
})
events.push('label ${version}')
dispose(() => events.push('remove label ${version}'))
${tail}
`
}

describe('once(): set-up runs on the first load only, and again only when its source is edited', () => {
  test('unchanged blocks are skipped; an edited block is disposed when the swap commits, then replaced', async () => {
    h.write('ticker.ts', game('A', 'v1'))
    await h.load('ticker.ts')
    expect(events).toEqual(['setup A', 'label v1'])

    events.length = 0
    expect((await h.swap('ticker.ts', game('A', 'v2'))).ok).toBe(true)
    expect(events).toEqual(['label v2', 'remove label v1'])

    events.length = 0
    expect((await h.swap('ticker.ts', game('B', 'v3'))).ok).toBe(true)
    expect(events).toEqual(['setup B', 'label v3', 'remove label v2', 'teardown A'])
  })
})

describe('once() and dispose() in a failed swap: the failed version leaves nothing behind', () => {
  test('the new block is torn down, the old one stays, the old version keeps its label', async () => {
    h.write('fragile.ts', game('A', 'v1'))
    await h.load('fragile.ts')
    events.length = 0
    const report = await h.swap('fragile.ts', game('B', 'v2', `throw new Error('broken')`))
    expect(report.ok).toBe(false)
    expect(events).toEqual(['setup B', 'label v2', 'remove label v2', 'teardown B'])

    events.length = 0
    expect((await h.swap('fragile.ts', game('A', 'v3'))).ok).toBe(true)
    expect(events).toEqual(['label v3', 'remove label v1'])
  })
})

describe('once() and dispose() reject what is not a function with a coded error', () => {
  test('bad arguments throw HOTCLASS_BAD_ARGUMENT', () => {
    expect(() => h.core.once(42 as never)).toThrow(expect.objectContaining({ code: 'HOTCLASS_BAD_ARGUMENT' }))
    expect(() => h.core.dispose('x' as never)).toThrow(expect.objectContaining({ code: 'HOTCLASS_BAD_ARGUMENT' }))
  })
})
