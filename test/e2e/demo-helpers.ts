import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { createLogger, createServer } from 'vite'
import type { ViteDevServer } from 'vite'

/**
 * The end-to-end harness for the demo game: a private copy of demo/ and public/ under test/.tmp (so a
 * failing test never leaves the real demo edited), a Vite dev server on a free port serving that copy
 * with the project's own vite.config.ts, and Debian's Chromium driven by playwright-core.
 */

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/** A private copy of the demo; `edit` changes files in it as a developer would. */
export interface DemoCopy {
  /** The copy's top directory (holds demo/ and public/). */
  dir: string
  /** The Vite root: `<dir>/demo`. */
  root: string
  read(file: string): Promise<string>
  write(file: string, text: string): Promise<void>
  /** Replace exactly one occurrence of `from` in a demo file; throws if it is not there exactly once. */
  edit(file: string, from: string, to: string): Promise<void>
  dispose(): Promise<void>
}

export async function copyDemo(name: string): Promise<DemoCopy> {
  const dir = join(repo, 'test/.tmp', `${name}-${process.pid}-${Date.now().toString(36)}`)
  const root = join(dir, 'demo')
  await mkdir(dir, { recursive: true })
  // demo/server is another example (a Node game server), not part of the browser game.
  await cp(join(repo, 'demo'), root, {
    recursive: true,
    filter: (src) => !src.includes(`${join(repo, 'demo/server')}`),
  })
  await cp(join(repo, 'public'), join(dir, 'public'), { recursive: true })
  const path = (file: string): string => join(root, file)
  return {
    dir,
    root,
    read: (file) => readFile(path(file), 'utf8'),
    write: (file, text) => writeFile(path(file), text),
    async edit(file, from, to) {
      const text = await readFile(path(file), 'utf8')
      const at = text.indexOf(from)
      if (at < 0 || text.indexOf(from, at + 1) >= 0) {
        throw new Error(`expected exactly one ${JSON.stringify(from)} in demo/${file}`)
      }
      await writeFile(path(file), text.slice(0, at) + to + text.slice(at + from.length))
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  }
}

/** Serve a copy with the project's vite.config.ts: `root` moves to the copy, `publicDir` follows it. */
export async function serveDemo(copy: DemoCopy): Promise<{ url: string; server: ViteDevServer; log: string[] }> {
  // The tests break files on purpose; Vite's messages go to a list (shown by a failing assertion) instead of
  // the test output.
  const log: string[] = []
  const logger = createLogger('info')
  for (const level of ['info', 'warn', 'warnOnce', 'error'] as const) {
    logger[level] = (msg: string) => void log.push(`${level}: ${msg}`)
  }
  const server = await createServer({
    customLogger: logger,
    configFile: join(repo, 'vite.config.ts'),
    root: copy.root,
    // Its own optimizer cache: servers of parallel test files must not rewrite each other's bundles.
    cacheDir: join(copy.dir, '.vite'),
    clearScreen: false,
    server: {
      port: 0,
      strictPort: false,
      host: '127.0.0.1',
      // Vite watches the library sources the page imports (../src); other engineers editing them while
      // a test runs would reload the page. These tests are about edits to the demo only.
      watch: { ignored: [join(repo, 'src/**')] },
    },
  })
  await server.listen()
  const url = server.resolvedUrls?.local[0]
  if (!url) throw new Error('the dev server did not report a URL')
  return { url, server, log }
}

/** An open game page, with what went wrong in it so far. */
export interface OpenGame {
  page: Page
  /** Uncaught exceptions: the game crashed somewhere. */
  crashes: string[]
  /** `console.error` lines (a broken edit logs some on purpose). */
  consoleErrors: string[]
}

/** Open the game and wait until its loop has run some frames. */
export async function openGame(browser: Browser, url: string, query = ''): Promise<OpenGame> {
  const page = await browser.newPage({ viewport: { width: 960, height: 600 } })
  const crashes: string[] = []
  const consoleErrors: string[] = []
  page.on('pageerror', (e) => crashes.push(e.message))
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text())
  })
  await page.goto(url + query)
  await waitFrames(page, 30)
  return { page, crashes, consoleErrors }
}

/** Resolve once the game loop has stepped `count` more frames. */
export async function waitFrames(page: Page, count: number, timeout = 30_000): Promise<void> {
  const start = await page.evaluate(() => (globalThis as { game?: { frame: number } }).game?.frame ?? 0)
  await page.waitForFunction(
    (target) => ((globalThis as { game?: { frame: number } }).game?.frame ?? 0) >= target,
    start + count,
    { timeout },
  )
}

/** What the canvas shows: how many distinct colours and how much of it differs from the background. */
export interface CanvasStats {
  width: number
  height: number
  colours: number
  /** Fraction of pixels that are not the background colour. */
  lit: number
}

/**
 * Screenshot the game canvas as the player sees it (the composited page, not a WebGL read-back) and
 * measure it. The PNG is decoded by the browser itself, so the test needs no image library.
 */
export async function canvasStats(page: Page, savePath?: string): Promise<CanvasStats> {
  const png = await page.locator('#stage canvas').screenshot()
  if (savePath) {
    await mkdir(dirname(savePath), { recursive: true })
    await writeFile(savePath, png)
  }
  return page.evaluate(async (b64) => {
    // Runs in the page; this file is type-checked without the DOM lib, so name the few DOM parts used.
    type Pixels = { data: Uint8ClampedArray }
    type Context = { drawImage(image: unknown, x: number, y: number): void; getImageData(...r: number[]): Pixels }
    const dom = globalThis as unknown as {
      createImageBitmap(blob: Blob): Promise<{ width: number; height: number }>
      OffscreenCanvas: new (w: number, h: number) => { getContext(kind: '2d'): Context }
    }
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
    const bitmap = await dom.createImageBitmap(new Blob([bytes], { type: 'image/png' }))
    const ctx = new dom.OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')
    ctx.drawImage(bitmap, 0, 0)
    const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data
    const colours = new Set<number>()
    // The game's background colour, 0x0b0f1a; grid lines and entities differ from it.
    let lit = 0
    for (let i = 0; i < data.length; i += 4) {
      const r = data[i]!
      const g = data[i + 1]!
      const b = data[i + 2]!
      colours.add((r << 16) | (g << 8) | b)
      if (Math.abs(r - 0x0b) + Math.abs(g - 0x0f) + Math.abs(b - 0x1a) > 24) lit++
    }
    return { width: bitmap.width, height: bitmap.height, colours: colours.size, lit: lit / (data.length / 4) }
  }, png.toString('base64'))
}

/** One entity as the tests see it through `globalThis.game`. */
export interface EntitySample {
  id: number
  kind: string
  x: number
  y: number
  vx: number
  vy: number
  alpha: number
  tint: number
}

/** The living entities, by kind (`Enemy` means exactly Enemy, not a Boss). */
export function sampleEntities(page: Page): Promise<EntitySample[]> {
  return page.evaluate(() => {
    type Live = {
      id: number
      alive: boolean
      constructor: { name: string }
      x: number
      y: number
      vx: number
      vy: number
    }
    type View = { view: { alpha: number; tint: number } }
    const game = (globalThis as unknown as { game: { entities: Array<Live & View> } }).game
    return game.entities
      .filter((e) => e.alive)
      .map((e) => ({
        id: e.id,
        kind: e.constructor.name,
        x: e.x,
        y: e.y,
        vx: e.vx,
        vy: e.vy,
        alpha: e.view.alpha,
        tint: e.view.tint,
      }))
  })
}

/** The median of some numbers (the upper one for an even count). */
export function median(values: readonly number[]): number {
  const sorted = values.toSorted((a, b) => a - b)
  return sorted[sorted.length >> 1] ?? Number.NaN
}

/** A swap report as it crosses from the page: the error flattened to its fields. */
export interface ReportSample {
  ok: boolean
  error?: { code: string; message: string; hint?: string; file?: string; line?: number }
  modules: string[]
  classes: Array<{ name: string; added: string[]; removed: string[]; changed: string[] }>
  durationMs: number
  patchMs: number
}

/** Wait until the HUD says how many changes are pending (the dev server saw the save). */
export async function waitPending(page: Page, count: number): Promise<void> {
  const text = `${count} change${count === 1 ? '' : 's'} pending — press F5`
  await page.locator('#hud .pending', { hasText: text }).waitFor({ state: 'visible', timeout: 15_000 })
}

/** Press F5 as a player would and return the report of the swap it started. */
export async function pressF5(page: Page): Promise<ReportSample> {
  await page.evaluate(() => {
    const g = globalThis as unknown as { __HOTCLASS__: { lastReport: unknown }; lastSeenReport: unknown }
    g.lastSeenReport = g.__HOTCLASS__.lastReport
  })
  await page.keyboard.press('F5')
  await page.waitForFunction(
    () => {
      const g = globalThis as unknown as { __HOTCLASS__: { lastReport: unknown }; lastSeenReport: unknown }
      return g.__HOTCLASS__.lastReport !== g.lastSeenReport
    },
    null,
    { timeout: 15_000 },
  )
  return page.evaluate(() => {
    type Report = ReportSample & { error?: Error & ReportSample['error'] }
    const r = (globalThis as unknown as { __HOTCLASS__: { lastReport: Report } }).__HOTCLASS__.lastReport
    const sample: ReportSample = {
      ok: r.ok,
      modules: r.modules,
      classes: r.classes.map((c) => ({ name: c.name, added: c.added, removed: c.removed, changed: c.changed })),
      durationMs: r.durationMs,
      patchMs: r.patchMs,
    }
    if (r.error) {
      const { code, message, hint, file, line } = r.error
      sample.error = { code, message }
      if (hint !== undefined) sample.error.hint = hint
      if (file !== undefined) sample.error.file = file
      if (line !== undefined) sample.error.line = line
    }
    return sample
  })
}

export { launchChromium } from './chromium.ts'
