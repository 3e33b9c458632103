/* oxlint-disable no-underscore-dangle -- `__HOTCLASS__` is the global the client publishes */
import { join, resolve } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { createServer } from 'vite'
import type { InlineConfig, ViteDevServer } from 'vite'
import { hotclass } from '../../src/vite/index.ts'
import type { HotclassPluginOptions } from '../../src/vite/index.ts'
import { folder } from '../helpers/folder.ts'

/** What the tests read of `globalThis.__HOTCLASS__` (declared for the browser in src/client/inspector.ts). */
export interface InspectorView {
  pending: Array<{ id: string; t: number; mtime: number; via: string[] }>
  problems: Array<{ id: string; file: string; line?: number; message: string }>
  lastReport?: {
    ok: boolean
    modules: string[]
    durationMs: number
    patchMs: number
    error?: { code: string; message: string }
  }
  reloadCount: number
  connected: boolean
}
/** The few browser globals page functions use; the test code is type-checked without the DOM lib. */
export interface Browserish {
  addEventListener(type: 'keydown', listener: (e: { key: string; defaultPrevented: boolean }) => void): void
  requestAnimationFrame(callback: () => void): number
  document: {
    getElementById(id: string): { textContent: string | null } | null
    querySelector(selector: string): object | null
  }
}
export type GameWindow = typeof globalThis & { __HOTCLASS__?: InspectorView; gameReady?: boolean }

/**
 * End-to-end harness: a real Vite dev server with the hotclass plugin, serving a fixture game written to
 * test/.tmp/<unique>/, and Debian's Chromium driven by playwright-core.
 */

const repo = resolve(import.meta.dirname, '../..')

/**
 * `HOTCLASS_E2E_EVALUATE=function` (or `module`) runs every probe fixture with swapped versions evaluated
 * that way unless the test asks for one, so one more run of the e2e files covers the other way.
 */
function defaultEvaluate(): Partial<HotclassPluginOptions> {
  const evaluate = process.env['HOTCLASS_E2E_EVALUATE']
  return evaluate === 'module' || evaluate === 'function' ? { evaluate } : {}
}

export interface Fixture {
  dir: string
  url: string
  server: ViteDevServer
  /** The type of every payload the dev server broadcast over HMR (`update`, `full-reload`; not messages to one page). */
  sent: string[]
  /** Save a file; resolves once the dev server's watcher has seen it (not that the page has). */
  write(file: string, content: string): Promise<void>
  close(): Promise<void>
}

/** Write the files, start a dev server on them. Module ids are relative to `dir` (the Vite root). */
export async function startFixture(
  name: string,
  files: Record<string, string>,
  options: Partial<HotclassPluginOptions> = {},
  extra: InlineConfig = {},
): Promise<Fixture> {
  const fixtures = folder(`e2e-${name}`)
  const { dir } = fixtures
  for (const [file, content] of Object.entries(files)) fixtures.write(file, content)
  const server = await createServer({
    configFile: false,
    root: dir,
    logLevel: process.env['HOTCLASS_E2E_LOG'] ? 'info' : 'silent',
    clearScreen: false,
    server: {
      port: 0,
      strictPort: false,
      host: '127.0.0.1',
      // Without awaitWriteFinish chokidar drops a change to a file within 50 ms of the last one it
      // reported (a person never saves that fast, a test does); with it every save is reported once its
      // size has held for 20 ms, so `write()` can wait for the report instead of sleeping.
      watch: { usePolling: false, awaitWriteFinish: { stabilityThreshold: 20, pollInterval: 5 } },
    },
    // Everything the fixtures import is listed, so no late dependency discovery reloads the page mid-test.
    optimizeDeps: { noDiscovery: true, include: ['debug'] },
    // One pre-bundle cache for every fixture: the dependencies are the same, so only the first optimises.
    cacheDir: join(repo, 'test/.tmp/vite-cache-e2e'),
    ...extra,
    // hotclass first, then a test's own plugins (a probe into what the server transforms).
    plugins: [hotclass({ ...defaultEvaluate(), ...options }), ...(extra.plugins ?? [])],
  })
  /** Save a file like an editor, and resolve once the dev server's watcher has reported the save. */
  const write = async (file: string, content: string): Promise<void> => {
    const path = fixtures.path(file)
    const seen = new Promise<void>((done) => {
      const onEvent = (changed: string): void => {
        if (changed !== path) return
        server.watcher.off('change', onEvent)
        server.watcher.off('add', onEvent)
        done()
      }
      server.watcher.on('change', onEvent)
      server.watcher.on('add', onEvent)
    })
    fixtures.write(file, content)
    await seen
  }
  const sent: string[] = []
  const hot = server.environments['client']?.hot
  if (hot) {
    const send = hot.send.bind(hot) as (...args: unknown[]) => void
    hot.send = ((...args: unknown[]) => {
      sent.push(typeof args[0] === 'string' ? args[0] : String((args[0] as { type?: unknown }).type))
      send(...args)
    }) as typeof hot.send
  }
  await server.listen()
  const address = server.httpServer?.address()
  if (!address || typeof address === 'string') throw new Error('dev server has no port')
  let closed: Promise<void> | undefined
  return {
    dir,
    url: `http://127.0.0.1:${address.port}/`,
    server,
    sent,
    write,
    close: () => (closed ??= server.close().then(() => fixtures.cleanup())),
  }
}

/** Open the fixture page and wait until the game has started and the hotclass client is connected. */
export async function openGame(browser: Browser, url: string, onConsole?: (line: string) => void): Promise<Page> {
  const page = await browser.newPage()
  if (onConsole) page.on('console', (m) => onConsole(`${m.type()}: ${m.text()}`))
  page.on('pageerror', (err) => console.error('[page error]', err.message))
  await page.goto(url)
  await page.waitForFunction(
    () => (globalThis as GameWindow).gameReady === true && (globalThis as GameWindow).__HOTCLASS__?.connected,
  )
  return page
}

/** Wait until the page's pending list has `count` entries (the watcher saw the save). */
export async function waitForPending(page: Page, count: number): Promise<void> {
  await page.waitForFunction((n) => (globalThis as GameWindow).__HOTCLASS__?.pending.length === n, count, {
    timeout: 10_000,
  })
}

/** The fixture game's page: loads main.ts, which starts the game and the hotclass client. */
export const indexHtml = `<!doctype html>
<html><head><meta charset="utf-8" /><title>hotclass fixture</title></head>
<body><script type="module" src="/main.ts"></script></body></html>
`

/**
 * The fixture game's entry: one live Enemy with runtime state (hp = 42), the probe installed, and every
 * report and pending count recorded on `globalThis` for the test to read. `imports` adds lines at the top.
 */
export function mainTs(imports = ''): string {
  return `import { installProbe, probeReload, onReload, onPending } from 'hotclass/client'
import { Enemy } from './Enemy.ts'
${imports}
const w = globalThis as any
w.enemy = new Enemy()
w.enemy.hp = 42
w.reports = []
onReload((r) => w.reports.push(r))
w.pendingCounts = []
onPending((n) => w.pendingCounts.push(n))
w.probeReload = probeReload
w.onReload = onReload
installProbe()
w.readyAt = performance.now()
w.gameReady = true
`
}

/** A reloadable Enemy whose `describe()` says which version runs and what state the instance kept. */
export function enemyTs(version: string, extra = ''): string {
  return `import { reloadable } from 'hotclass'
${extra}
@reloadable()
export class Enemy {
  hp = 10
  describe(): string {
    return '${version}:' + this.hp
  }
}
`
}

/** What `enemy.describe()` returns in the page now. */
export function describeEnemy(page: Page): Promise<string> {
  return page.evaluate(() => (globalThis as unknown as { enemy: { describe(): string } }).enemy.describe())
}

/** The page's `__HOTCLASS__` inspector, as plain data. */
export function inspector(page: Page): Promise<InspectorView> {
  return page.evaluate(() => {
    const hc = (globalThis as GameWindow).__HOTCLASS__!
    return JSON.parse(
      JSON.stringify({
        pending: hc.pending,
        problems: hc.problems,
        lastReport: hc.lastReport && {
          ...hc.lastReport,
          // An Error serialises as {}: keep what the tests read.
          error: hc.lastReport.error && { code: hc.lastReport.error.code, message: hc.lastReport.error.message },
        },
        reloadCount: hc.reloadCount,
        connected: hc.connected,
      }),
    ) as InspectorView
  })
}

/** Wait until `count` swaps have committed in the page. */
export async function waitForReloads(page: Page, count: number): Promise<void> {
  await page.waitForFunction((n) => (globalThis as GameWindow).__HOTCLASS__!.reloadCount >= n, count, {
    timeout: 10_000,
  })
}

/** Wait until the page has `count` reports (successful or not) from `onReload`. */
export async function waitForReports(page: Page, count: number): Promise<void> {
  await page.waitForFunction(
    (n) => ((globalThis as unknown as { reports: unknown[] }).reports?.length ?? 0) >= n,
    count,
    { timeout: 10_000 },
  )
}

/** A game page on a fresh fixture, with page loads and every probe-key event counted on the Node side. */
export interface Game {
  fx: Fixture
  page: Page
  /** Page loads since the game first started: 0 means the page never reloaded. */
  loads(): number
  /** Every keydown of the page, and whether the probe stopped the browser's default (the reload). */
  keys: Array<{ key: string; prevented: boolean }>
  /** Console lines, kept across reloads. */
  console: string[]
}

export async function startGame(
  browser: Browser,
  name: string,
  files: Record<string, string> = {},
  options: Partial<HotclassPluginOptions> = {},
  extra: InlineConfig = {},
): Promise<Game> {
  const fx = await startFixture(
    name,
    { 'index.html': indexHtml, 'main.ts': mainTs(), 'Enemy.ts': enemyTs('v1'), ...files },
    options,
    extra,
  )
  const consoleLines: string[] = []
  const page = await openGame(browser, fx.url, (line) => consoleLines.push(line))
  let loads = 0
  page.on('load', () => loads++)
  const keys: Array<{ key: string; prevented: boolean }> = []
  await page.exposeFunction('recordKey', (key: string, prevented: boolean) => keys.push({ key, prevented }))
  // Bubble phase on window: runs after the probe's capture listener has decided.
  await page.evaluate(() => {
    const w = globalThis as unknown as Browserish & { recordKey(k: string, p: boolean): void }
    w.addEventListener('keydown', (e) => w.recordKey(e.key, e.defaultPrevented))
  })
  return { fx, page, loads: () => loads, keys, console: consoleLines }
}

export { launchChromium as launchBrowser } from './chromium.ts'
