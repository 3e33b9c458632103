import { mkdir, writeFile } from 'node:fs/promises'
import type { Browser, Page } from 'playwright-core'
import type { ViteDevServer } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  canvasStats,
  copyDemo,
  launchChromium,
  openGame,
  pressF5,
  sampleEntities,
  serveDemo,
  waitFrames,
  waitPending,
} from './demo-helpers.ts'
import type { DemoCopy, ReportSample } from './demo-helpers.ts'

// One copy of the demo, one dev server and one page for the whole file: starting Chromium and the
// optimizer costs seconds, and the behaviours below are what one developer does in one session.
let copy: DemoCopy
let server: ViteDevServer
let browser: Browser
let page: Page
let crashes: string[]
let consoleErrors: string[]
let viteLog: string[] = []

beforeAll(async () => {
  copy = await copyDemo('demo')
  const served = await serveDemo(copy)
  server = served.server
  viteLog = served.log
  browser = await launchChromium()
  ;({ page, crashes, consoleErrors } = await openGame(browser, served.url, '?god&enemies=40'))
})

afterAll(async () => {
  // Vite's messages, for reading after a failure (the tests break files on purpose, so they are noisy).
  await mkdir('test-results/demo', { recursive: true })
  await writeFile('test-results/demo/vite.log', viteLog.join('\n'))
  await browser?.close()
  await server?.close()
  await copy?.dispose()
})

describe('the game renders and runs', () => {
  it('draws a non-blank arena', async () => {
    const stats = await canvasStats(page, 'test-results/demo/renders.png')
    expect(stats.width).toBe(960)
    // A blank (or failed) WebGL canvas is one colour; the arena has a grid, a ship and 40 enemies.
    expect(stats.colours).toBeGreaterThan(20)
    expect(stats.lit).toBeGreaterThan(0.01)
  })

  it('moves its entities, spawns enemies and keeps time', async () => {
    const before = await sampleEntities(page)
    const time = await page.evaluate(() => (globalThis as unknown as { game: { time: number } }).game.time)
    await waitFrames(page, 20)
    const after = await sampleEntities(page)
    const moved = after.filter((a) => {
      const b = before.find((e) => e.id === a.id)
      return b && a.kind === 'Enemy' && (a.x !== b.x || a.y !== b.y)
    })
    expect(after.filter((e) => e.kind === 'Enemy').length).toBeGreaterThanOrEqual(30)
    expect(moved.length).toBeGreaterThanOrEqual(20)
    expect(after.filter((e) => e.kind === 'Player')).toHaveLength(1)
    const later = await page.evaluate(() => (globalThis as unknown as { game: { time: number } }).game.time)
    expect(later).toBeGreaterThan(time)
    expect(crashes).toEqual([])
    expect(consoleErrors).toEqual([])
  })

  it('shows the score, the timer and the entity count in the HUD', async () => {
    const hud = await page.locator('#hud .bar').innerText()
    expect(hud).toMatch(/SCORE\s+\d+/)
    expect(hud).toMatch(/TIME\s+\d+:\d\d/)
    expect(hud).toMatch(/\d+ entities/)
  })
})

/** Game state read through `globalThis.game`, as a curious player would in the console. */
function gameState(): Promise<{ score: number; time: number; frame: number; enemies: number; marker: unknown }> {
  return page.evaluate(() => {
    const g = globalThis as unknown as {
      game: { score: number; time: number; frame: number; enemyCount(): number }
      pageMarker?: unknown
    }
    return {
      score: g.game.score,
      time: g.game.time,
      frame: g.game.frame,
      enemies: g.game.enemyCount(),
      marker: g.pageMarker,
    }
  })
}

describe('an edited Enemy method is live on the enemies already on screen', () => {
  it('swaps on F5: same objects, new behaviour, score, timer and crowd kept, no page reload', async () => {
    // A page reload would lose this marker and restart the frame count.
    await page.evaluate(() => {
      const g = globalThis as unknown as { game: { entities: object[]; classes: { Enemy: unknown } } } & Record<
        string,
        unknown
      >
      g['pageMarker'] = 'still the same page'
      g['tracked'] = g.game.entities.filter((e) => e.constructor === g.game.classes.Enemy)
    })
    // Score something first, so keeping the score means something.
    await page.waitForFunction(() => (globalThis as unknown as { game: { score: number } }).game.score > 0)
    const before = await gameState()

    // The developer makes every grunt drift upwards instead of chasing the ship.
    await copy.edit('entities/Enemy.ts', 'this.chase(world.player, dt)', 'this.vx = 0\n    this.vy = -this.speed')
    await waitPending(page, 1)
    const report = await pressF5(page)
    expect(report.ok, JSON.stringify(report.error)).toBe(true)
    expect(report.modules).toEqual(['entities/Enemy.ts'])
    expect(changed(report)).toEqual([['Enemy', ['update']]])
    await waitFrames(page, 5)

    const tracked = await page.evaluate(() => {
      type E = { alive: boolean; vx: number; vy: number; speed: number }
      const g = globalThis as unknown as { game: { entities: E[] }; tracked: E[] }
      const living = g.tracked.filter((e) => e.alive && g.game.entities.includes(e))
      return {
        total: g.tracked.length,
        living: living.length,
        drifting: living.filter((e) => e.vx === 0 && e.vy === -e.speed && e.speed > 0).length,
      }
    })
    // The autopilot keeps shooting, so a few tracked enemies die; the survivors are the same objects.
    expect(tracked.living).toBeGreaterThan(tracked.total * 0.6)
    expect(tracked.drifting).toBe(tracked.living)

    const after = await gameState()
    expect(after.marker).toBe('still the same page')
    expect(after.frame).toBeGreaterThan(before.frame)
    expect(after.score).toBeGreaterThanOrEqual(before.score)
    expect(after.time).toBeGreaterThan(before.time)
    expect(after.enemies).toBeGreaterThanOrEqual(36)

    await expect.poll(() => page.locator('#hud .pending').isHidden()).toBe(true)
    const toast = await page.locator('#hud .toast.ok').first().innerText()
    expect(toast).toMatch(/Swapped 1 class in [\d.]+ ms/)
    expect(toast).toContain('Enemy ~update')
    await page.screenshot({ path: 'test-results/demo/enemy-swapped.png' })
  })
})

describe('an edited base class reaches every subclass', () => {
  it('makes enemies, the boss, bullets and the ship follow an Entity edit', async () => {
    await page.evaluate(() => (globalThis as unknown as { game: { spawnBoss(): void } }).game.spawnBoss())
    await waitFrames(page, 10)
    await copy.edit('entities/Entity.ts', 'view.alpha = 1', 'view.alpha = 0.5')
    await waitPending(page, 1)
    const report = await pressF5(page)
    expect(report.ok, JSON.stringify(report.error)).toBe(true)
    expect(changed(report)).toEqual([['Entity', ['sync']]])
    await waitFrames(page, 3)

    const entities = await sampleEntities(page)
    const kinds = new Set(entities.map((e) => e.kind))
    for (const kind of ['Enemy', 'Boss', 'Bullet', 'Player']) expect(kinds).toContain(kind)
    expect(entities.filter((e) => e.alpha !== 0.5)).toEqual([])
    expect(crashes).toEqual([])
    expect(consoleErrors).toEqual([])
  })
})

describe('a broken edit shows the error and the game keeps running', () => {
  it('reports file and line, keeps the old code, and recovers when fixed', async () => {
    const good = await copy.read('entities/Enemy.ts')
    await copy.edit('entities/Enemy.ts', 'return 90', 'return 90 +* 2')
    const brokenLine = good.split('\n').findIndex((l) => l.includes('return 90')) + 1
    await waitPending(page, 1)
    const report = await pressF5(page)
    expect(report.ok).toBe(false)
    expect(report.error?.file).toBe('entities/Enemy.ts')
    expect(report.error?.line).toBe(brokenLine)

    const toast = page.locator('#hud .toast.error').first()
    await expect.poll(() => toast.innerText()).toContain(`Swap failed — entities/Enemy.ts:${brokenLine}`)
    await expect.poll(() => page.locator('#hud .problems').innerText()).toContain(`entities/Enemy.ts:${brokenLine}`)
    await page.screenshot({ path: 'test-results/demo/broken-edit.png' })

    // The loop runs on, with the last good code: enemies move at the old speed.
    const before = await sampleEntities(page)
    await waitFrames(page, 10)
    const after = await sampleEntities(page)
    const moved = after.filter((a) => before.some((b) => b.id === a.id && (b.x !== a.x || b.y !== a.y)))
    expect(moved.length).toBeGreaterThan(10)
    expect(await enemySpeeds()).toEqual([90])

    // Fixing the line swaps cleanly, and the fixed value is live on the same enemies.
    await copy.write('entities/Enemy.ts', good.replace('return 90', 'return 100'))
    // The broken version stays pending until the server has seen the good save; the HUD's problem line
    // going away is the player's sign that it has.
    await page.locator('#hud .problems').waitFor({ state: 'hidden', timeout: 15_000 })
    await waitPending(page, 1)
    const fixed = await pressF5(page)
    expect(fixed.ok, JSON.stringify(fixed.error)).toBe(true)
    expect(changed(fixed)).toEqual([['Enemy', ['speed']]])
    expect(await enemySpeeds()).toEqual([100])
    // The broken edit was logged to the console, as it should be, and crashed nothing.
    expect(consoleErrors.join('\n')).toContain('entities/Enemy.ts')
    expect(crashes).toEqual([])
  })
})

describe('developer shortcuts: a listener registered once runs its edited body', () => {
  it('Z rolls back the last swap; an edited handler is live without a second listener', async () => {
    const steps = (): Promise<number> =>
      page.evaluate(
        () =>
          (globalThis as unknown as { __HOTCLASS__: { registry: { history: unknown[] } } }).__HOTCLASS__.registry
            .history.length,
      )
    expect(await enemySpeeds()).toEqual([100])
    const before = await steps()
    await page.keyboard.press('z')
    await expect.poll(enemySpeeds).toEqual([90])
    expect(await steps()).toBe(before - 1)
    await expect.poll(() => page.locator('#hud .toast').first().innerText()).toMatch(/Rolled back|rolled back/i)

    // The shortcut moves to U and counts the letter keys it sees: the `once` block registered the listener
    // at start-up and is skipped by the swap, so exactly one listener runs the new body. (The F5 that
    // swapped it in is not counted: the swap commits inside that key's own handling, so the new body may
    // see the F5 itself.)
    await copy.edit(
      'shortcuts.ts',
      "if (event.code === 'KeyZ') void rollback()",
      "const g = globalThis as { presses?: number }\n  if (event.code.startsWith('Key')) g.presses = (g.presses ?? 0) + 1\n  if (event.code === 'KeyU') void rollback()",
    )
    await waitPending(page, 1)
    const report = await pressF5(page)
    expect(report.ok, JSON.stringify(report.error)).toBe(true)
    const afterEdit = await steps()
    await page.keyboard.press('x')
    await page.keyboard.press('z')
    await waitFrames(page, 3)
    expect(await page.evaluate(() => (globalThis as { presses?: number }).presses)).toBe(2)
    expect(await steps()).toBe(afterEdit)
    await page.keyboard.press('u')
    await expect.poll(steps).toBe(afterEdit - 1)
    expect(crashes).toEqual([])
  })
})

/** The distinct `speed` of the living plain enemies (bosses override it). */
function enemySpeeds(): Promise<number[]> {
  return page.evaluate(() => {
    type E = { alive: boolean; speed: number; constructor: unknown }
    const g = (globalThis as unknown as { game: { entities: E[]; classes: { Enemy: unknown } } }).game
    const speeds = g.entities.filter((e) => e.alive && e.constructor === g.classes.Enemy).map((e) => e.speed)
    return [...new Set(speeds)]
  })
}

/** The classes a swap changed, with their changed members; classes evaluated again unchanged are left out. */
function changed(report: ReportSample): Array<[string, string[]]> {
  return report.classes
    .filter((c) => c.added.length + c.removed.length + c.changed.length > 0)
    .map((c) => [c.name, c.changed])
}
