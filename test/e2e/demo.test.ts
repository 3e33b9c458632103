import type { Browser, Page } from 'playwright-core'
import type { ViteDevServer } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  canvasStats,
  copyDemo,
  launchChromium,
  openGame,
  sampleEntities,
  serveDemo,
  waitFrames,
} from './demo-helpers.ts'
import type { DemoCopy } from './demo-helpers.ts'

// One copy of the demo, one dev server and one page for the whole file: starting Chromium and the
// optimizer costs seconds, and the behaviours below are what one developer does in one session.
let copy: DemoCopy
let server: ViteDevServer
let browser: Browser
let page: Page
let errors: string[]

beforeAll(async () => {
  copy = await copyDemo('demo')
  const served = await serveDemo(copy)
  server = served.server
  browser = await launchChromium()
  ;({ page, errors } = await openGame(browser, served.url, '?god&enemies=40'))
})

afterAll(async () => {
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
    expect(errors).toEqual([])
  })

  it('shows the score, the timer and the entity count in the HUD', async () => {
    const hud = await page.locator('#hud .bar').innerText()
    expect(hud).toMatch(/SCORE\s+\d+/)
    expect(hud).toMatch(/TIME\s+\d+:\d\d/)
    expect(hud).toMatch(/\d+ entities/)
  })
})
