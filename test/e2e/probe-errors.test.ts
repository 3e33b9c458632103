/* oxlint-disable no-underscore-dangle -- `__HOTCLASS__` is the global the client publishes */
import { createLogger } from 'vite'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { describeEnemy, enemyTs, inspector, startGame, waitForPending, waitForReports } from './probe-harness.ts'
import { useChromium } from './chromium.ts'
import type { Browserish, Game, GameWindow } from './probe-harness.ts'

/** Broken edits in real Chromium: reported with file and line, the old code keeps running, a good save clears it. */

const browser = useChromium()

function overlayText(g: Game): Promise<string | null> {
  return g.page.evaluate(
    () => (globalThis as unknown as Browserish).document.getElementById('hotclass-overlay')?.textContent ?? null,
  )
}

// Line 6 of the file is the broken one (enemyTs puts `extra` on line 2, the class body from line 3).
const broken = `import { reloadable } from 'hotclass'

@reloadable()
export class Enemy {
  hp = 10
  describe(): string { return 'v2:' + }
}
`

describe('a syntax error: reported at once with file and line, nothing swaps until a good save', () => {
  let g: Game
  beforeAll(async () => {
    g = await startGame(browser(), 'syntax')
  })
  afterAll(async () => {
    await g?.fx.close()
  })

  test('the page hears of the broken file before the key is pressed: console, overlay, inspector', async () => {
    await g.fx.write('Enemy.ts', broken)
    await g.page.waitForFunction(() => (globalThis as GameWindow).__HOTCLASS__!.problems.length === 1)
    const [problem] = (await inspector(g.page)).problems
    expect(problem).toMatchObject({ id: 'Enemy.ts', file: 'Enemy.ts', line: 6 })
    expect(await overlayText(g)).toContain('Enemy.ts:6')
    expect(g.console.some((l) => l.startsWith('error: [hotclass] Enemy.ts:6'))).toBe(true)
    expect(await describeEnemy(g.page)).toBe('v1:42')
  })

  test('the probe key then fails the swap with a coded error, file and line; the old code runs on', async () => {
    await g.page.keyboard.press('F5')
    await waitForReports(g.page, 1)
    const { lastReport, pending } = await inspector(g.page)
    expect(lastReport?.ok).toBe(false)
    expect(lastReport?.error?.code).toBe('HOTCLASS_LOAD_FAILED')
    expect(lastReport?.error?.message).toContain('Enemy.ts:6')
    expect(pending.map((p) => p.id)).toEqual(['Enemy.ts'])
    expect(await describeEnemy(g.page)).toBe('v1:42')
    // The swap fails on the server's report without fetching the broken code, so Vite's own error
    // overlay never covers the game.
    const viteOverlay = await g.page.evaluate(
      () => (globalThis as unknown as Browserish).document.querySelector('vite-error-overlay') !== null,
    )
    expect(viteOverlay).toBe(false)
  })

  test('the next good save clears the problem and the overlay; the key swaps it', async () => {
    await g.fx.write('Enemy.ts', enemyTs('v3'))
    await g.page.waitForFunction(() => (globalThis as GameWindow).__HOTCLASS__!.problems.length === 0)
    expect(await overlayText(g)).toBeNull()
    await g.page.keyboard.press('F5')
    await waitForReports(g.page, 2)
    expect((await inspector(g.page)).lastReport?.ok).toBe(true)
    expect(await describeEnemy(g.page)).toBe('v3:42')
  })
})

describe('a throw while the new version loads: the source line is reported, the old code keeps running', () => {
  let g: Game
  const terminal: string[] = []
  beforeAll(async () => {
    const logger = createLogger('silent')
    logger.error = (message) => void terminal.push(message)
    g = await startGame(browser(), 'throw', {}, {}, { customLogger: logger, logLevel: 'error' })
  })
  afterAll(async () => {
    await g?.fx.close()
  })

  test('the failed swap names the line of the throw in the TypeScript source', async () => {
    // Line 2 of the source; the served code has more lines before it (the lowered decorator's helpers).
    await g.fx.write('Enemy.ts', enemyTs('v2', `const n: number = 1; if (n) throw new Error('spawn table missing')`))
    await waitForPending(g.page, 1)
    await g.page.keyboard.press('F5')
    await waitForReports(g.page, 1)
    const { lastReport } = await inspector(g.page)
    expect(lastReport?.error?.code).toBe('HOTCLASS_LOAD_FAILED')
    expect(lastReport?.error?.message).toMatch(/Enemy\.ts:2:\d+: spawn table missing/)
    expect(await overlayText(g)).toContain('spawn table missing')
    expect(await describeEnemy(g.page)).toBe('v1:42')
    // The terminal hears it too, not only the browser console.
    await expect
      .poll(() => terminal.find((l) => l.includes('[hotclass] a swap could not load')))
      .toMatch(/spawn table missing/)
  })

  test('fixing it and pressing the key again swaps the fixed version and clears the overlay', async () => {
    const [before] = (await inspector(g.page)).pending
    await g.fx.write('Enemy.ts', enemyTs('v3'))
    await g.page.waitForFunction((t) => (globalThis as GameWindow).__HOTCLASS__!.pending[0]?.mtime !== t, before?.mtime)
    expect(await overlayText(g)).toBeNull()
    await g.page.keyboard.press('F5')
    await waitForReports(g.page, 2)
    expect(await describeEnemy(g.page)).toBe('v3:42')
  })
})
