import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import type { Browser, Page } from 'playwright-core'
import { createServer } from 'vite'
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
export async function serveDemo(copy: DemoCopy): Promise<{ url: string; server: ViteDevServer }> {
  const server = await createServer({
    configFile: join(repo, 'vite.config.ts'),
    root: copy.root,
    // Its own optimizer cache: servers of parallel test files must not rewrite each other's bundles.
    cacheDir: join(copy.dir, '.vite'),
    logLevel: 'warn',
    clearScreen: false,
    server: { port: 0, strictPort: false, host: '127.0.0.1' },
  })
  await server.listen()
  const url = server.resolvedUrls?.local[0]
  if (!url) throw new Error('the dev server did not report a URL')
  return { url, server }
}

/** Debian's Chromium with software WebGL (swiftshader): pixi renders with WebGL as on a desktop. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--enable-unsafe-swiftshader',
      '--use-angle=swiftshader',
    ],
  })
}

/** Page errors and console errors seen so far, for assertions and for failure messages. */
export interface OpenGame {
  page: Page
  errors: string[]
}

/** Open the game and wait until its loop has run some frames. */
export async function openGame(browser: Browser, url: string, query = ''): Promise<OpenGame> {
  const page = await browser.newPage({ viewport: { width: 960, height: 600 } })
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  await page.goto(url + query)
  await waitFrames(page, 30)
  return { page, errors }
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
