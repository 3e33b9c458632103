/* oxlint-disable no-underscore-dangle -- `__HOTCLASS__` is the global the client publishes */
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { describeEnemy, enemyTs, inspector, startGame, waitForReloads } from './probe-harness.ts'
import { useChromium } from './chromium.ts'
import type { Game, GameWindow } from './probe-harness.ts'

/** `mode: 'auto'` in real Chromium: a save swaps at once, through the same transactions as the probe. */

const browser = useChromium()

describe('auto mode: every good save is swapped into the running page without a key', () => {
  let g: Game
  // Every test plays its own game, so each passes alone and in any order.
  beforeEach(async () => {
    g = await startGame(browser(), 'auto', {}, { mode: 'auto' })
  })
  afterEach(async () => {
    await g?.fx.close()
  })

  test('a save swaps on its own; the instance keeps its state and the page does not reload', async () => {
    expect((await inspector(g.page)).connected).toBe(true)
    await g.fx.write('Enemy.ts', enemyTs('v2'))
    await waitForReloads(g.page, 1)
    expect(await describeEnemy(g.page)).toBe('v2:42')
    const state = await inspector(g.page)
    expect(state.pending).toEqual([])
    expect(state.lastReport).toMatchObject({ ok: true, modules: ['Enemy.ts'] })
    expect(g.loads()).toBe(0)
    expect(g.keys).toEqual([])
  })

  test('a broken save is reported and not retried; the next good save applies', async () => {
    await g.fx.write('Enemy.ts', enemyTs('v3', `const n: number = 1; if (n) throw new Error('bad table')`))
    await g.page.waitForFunction(() => (globalThis as GameWindow).__HOTCLASS__!.lastReport?.ok === false)
    expect((await inspector(g.page)).lastReport?.error?.message).toMatch(/Enemy\.ts:2:\d+: bad table/)
    expect(await describeEnemy(g.page)).toBe('v1:42')
    await g.fx.write('Enemy.ts', enemyTs('v4'))
    await waitForReloads(g.page, 1)
    expect(await describeEnemy(g.page)).toBe('v4:42')
    // The failed version got a fresh timestamp from the server; that alone did not start another swap,
    // which would stand between the failure and the good save's swap.
    const reports = await g.page.evaluate(() =>
      (globalThis as unknown as { reports: Array<{ ok: boolean }> }).reports.map((r) => r.ok),
    )
    expect(reports).toEqual([false, true])
    expect(g.loads()).toBe(0)
  })
})
