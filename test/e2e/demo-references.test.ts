import type { Browser, Page } from 'playwright-core'
import type { ViteDevServer } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyDemo, launchChromium, openGame, pressF5, serveDemo, waitFrames, waitPending } from './demo-helpers.ts'
import type { DemoCopy, ReportSample } from './demo-helpers.ts'

/**
 * The demo hands its methods out the way pixi games do, once, at start-up: `ticker.add(this.tick, this)`
 * and `stage.on('pointerdown', this.onPointerDown, this)` in `Game.attach`, `setInterval(this.pulse.bind(this))`
 * in the HUD's constructor, and `ticker.remove` / `stage.off` with the same pairs in `Game.detach`. Each
 * edit below is made in a private copy, applied with F5, and must reach the function pixi or the timer
 * already holds, in the same page (no reload), with nothing registered twice.
 */

let copy: DemoCopy
let server: ViteDevServer
let browser: Browser
let page: Page
let crashes: string[]

beforeAll(async () => {
  copy = await copyDemo('demo-references')
  const served = await serveDemo(copy)
  server = served.server
  browser = await launchChromium()
  ;({ page, crashes } = await openGame(browser, served.url, '?god&enemies=20'))
  // A page reload would lose this marker.
  await page.evaluate(() => ((globalThis as { pageMarker?: string }).pageMarker = 'same page'))
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
  await copy?.dispose()
})

/** The game's registrations as pixi sees them: ticker listeners, and pointerdown listeners on the stage. */
function registrations(): Promise<{ ticker: number; pointerdown: number; marker: unknown }> {
  return page.evaluate(() => {
    const g = globalThis as unknown as {
      game: { app: { ticker: { count: number }; stage: { listenerCount(event: string): number } } }
      pageMarker?: unknown
    }
    return {
      ticker: g.game.app.ticker.count,
      pointerdown: g.game.app.stage.listenerCount('pointerdown'),
      marker: g.pageMarker,
    }
  })
}

/** Let the browser paint `count` frames (the game may be stopped, so its own frame counter cannot say). */
function animationFrames(count: number): Promise<void> {
  return page.evaluate(
    (n) =>
      new Promise<void>((resolve) => {
        const raf = (globalThis as unknown as { requestAnimationFrame(cb: () => void): number }).requestAnimationFrame
        let left = n
        const next = (): void => void (--left <= 0 ? resolve() : raf(next))
        raf(next)
      }),
    count,
  )
}

/** Living sparks of one tint. */
function sparks(tint: number): Promise<number> {
  return page.evaluate((t) => {
    type E = { alive: boolean; constructor: unknown; view: { tint: number } }
    const game = (globalThis as unknown as { game: { entities: E[]; classes: { Spark: unknown } } }).game
    return game.entities.filter((e) => e.alive && e.constructor === game.classes.Spark && e.view.tint === t).length
  }, tint)
}

async function swap(file: string, from: string, to: string): Promise<ReportSample> {
  await copy.edit(file, from, to)
  await waitPending(page, 1)
  const report = await pressF5(page)
  expect(report.ok, JSON.stringify(report.error)).toBe(true)
  return report
}

function changed(report: ReportSample): Array<[string, string[]]> {
  return report.classes.filter((c) => c.changed.length > 0).map((c) => [c.name, c.changed])
}

let registered: { ticker: number; pointerdown: number }

describe('ticker.add(this.tick, this), registered once at start-up', () => {
  it('runs the edited tick on the next frames, once per frame, with no second listener', async () => {
    registered = await registrations()
    expect(registered.pointerdown).toBe(1)
    const report = await swap(
      'Game.ts',
      'this.step(Math.min(ticker.deltaMS / 1000, 1 / 20))',
      'const g = globalThis as { ticks?: number }\n    g.ticks = (g.ticks ?? 0) + 1\n    this.step(Math.min(ticker.deltaMS / 1000, 1 / 20))',
    )
    expect(changed(report)).toEqual([['Game', ['tick']]])
    const read = () =>
      page.evaluate(() => {
        const g = globalThis as unknown as { ticks?: number; game: { frame: number } }
        return { ticks: g.ticks ?? 0, frame: g.game.frame }
      })
    const before = await read()
    await waitFrames(page, 10)
    const after = await read()
    // Every frame the game stepped went through the new body, and only one listener stepped it.
    expect(after.ticks - before.ticks).toBe(after.frame - before.frame)
    expect(after.ticks - before.ticks).toBeGreaterThanOrEqual(10)
    expect(await registrations()).toEqual({ ...registered, marker: 'same page' })
  })
})

describe("stage.on('pointerdown', this.onPointerDown, this), registered once at start-up", () => {
  it('runs the edited handler on the next click, and only it', async () => {
    const report = await swap('Game.ts', '0xffd84d, 12)', '0x9b5cff, 20)')
    expect(changed(report)).toEqual([['Game', ['onPointerDown']]])
    await page.mouse.click(480, 360)
    await page.waitForFunction(
      () => {
        type E = { alive: boolean; view: { tint: number } }
        const game = (globalThis as unknown as { game: { entities: E[] } }).game
        return game.entities.filter((e) => e.alive && e.view.tint === 0x9b5cff).length >= 20
      },
      null,
      { timeout: 10_000 },
    )
    // Sparks of one click are made in one event: had the old body run too, its yellow ones would be here.
    expect(await sparks(0xffd84d)).toBe(0)
    expect(await sparks(0x9b5cff)).toBe(20)
    expect(await registrations()).toEqual({ ...registered, marker: 'same page' })
  })
})

describe('setInterval(this.pulse.bind(this), 600), started once in the HUD constructor', () => {
  it('runs the edited pulse on its next ticks', async () => {
    const report = await swap(
      'hud/Hud.ts',
      "if (!this.pending.hidden) this.pending.classList.toggle('beat')",
      "this.root.dataset['pulses'] = String(Number(this.root.dataset['pulses'] ?? 0) + 1)",
    )
    expect(changed(report)).toEqual([['Hud', ['pulse']]])
    await page.locator('#hud[data-pulses="2"]').waitFor({ state: 'attached', timeout: 10_000 })
  })
})

describe('ticker.remove / stage.off with the pairs given before the swaps', () => {
  it('detach() finds the listeners attach() registered, and attach() brings them back', async () => {
    await page.evaluate(() => (globalThis as unknown as { game: { detach(): void } }).game.detach())
    expect(await registrations()).toEqual({ ticker: registered.ticker - 1, pointerdown: 0, marker: 'same page' })
    const stopped = await page.evaluate(() => (globalThis as unknown as { game: { frame: number } }).game.frame)
    await animationFrames(10)
    expect(await page.evaluate(() => (globalThis as unknown as { game: { frame: number } }).game.frame)).toBe(stopped)

    await page.evaluate(() => {
      type App = { ticker: unknown; stage: unknown }
      const game = (globalThis as unknown as { game: { app: App; attach(t: unknown, s: unknown): void } }).game
      game.attach(game.app.ticker, game.app.stage)
    })
    await waitFrames(page, 5)
    expect(await registrations()).toEqual({ ...registered, marker: 'same page' })
    expect(crashes).toEqual([])
  })
})
