import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Browser } from 'playwright-core'
import { launchBrowser, mainTs, startGame, waitForReloads } from './probe-harness.ts'
import type { Game } from './probe-harness.ts'

/**
 * The continuity transform in real Chromium: a module of plain functions, data and state (no class) is
 * swapped in place; a function the page captured once runs the new body on the kept state.
 */

const counterTs = (step: number, sign: string) => `import { once } from 'hotclass'
let clicks = 0
export const tuning = { step: ${step} }
export function bump(): number {
  clicks += tuning.step
  return ${sign}clicks
}
once(() => {
  ;(globalThis as any).heldBump = bump
})
`

let browser: Browser
let g: Game
beforeAll(async () => {
  browser = await launchBrowser()
  g = await startGame(
    browser,
    'continuity',
    {
      'main.ts': mainTs(`import { tuning } from './counter.ts'\n;(globalThis as any).tuning = tuning`),
      'counter.ts': counterTs(1, ''),
    },
    { mode: 'auto' },
  )
})
afterAll(async () => {
  await g?.fx.close()
  await browser?.close()
})

type Page = { heldBump(): number; tuning: { step: number } }

describe('continuity in the browser: functions, data and module state survive a swap', () => {
  test('a function captured before the swap runs the new body; state and data identity are kept', async () => {
    expect(
      await g.page.evaluate(() => [
        (globalThis as unknown as Page).heldBump(),
        (globalThis as unknown as Page).heldBump(),
      ]),
    ).toEqual([1, 2])
    await g.fx.write('counter.ts', counterTs(10, '-'))
    await waitForReloads(g.page, 1)
    expect(await g.page.evaluate(() => (globalThis as unknown as Page).heldBump())).toBe(-12)
    // main.ts imported `tuning` from the first version: the same object, updated in place.
    expect(await g.page.evaluate(() => (globalThis as unknown as Page).tuning.step)).toBe(10)
    expect(g.loads()).toBe(0)
  })
})
