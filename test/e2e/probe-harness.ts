/* oxlint-disable no-underscore-dangle -- `__HOTCLASS__` is the global the client publishes */
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { chromium } from 'playwright-core'
import type { Browser, Page } from 'playwright-core'
import { createServer } from 'vite'
import type { ViteDevServer } from 'vite'
import { hotclass } from '../../src/vite/index.ts'
import type { HotclassPluginOptions } from '../../src/vite/index.ts'

/** What the tests read of `globalThis.__HOTCLASS__` (declared for the browser in src/client/inspector.ts). */
export interface InspectorView {
  pending: Array<{ id: string; t: number; via: string[] }>
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
export type GameWindow = typeof globalThis & { __HOTCLASS__?: InspectorView; gameReady?: boolean }

/**
 * End-to-end harness: a real Vite dev server with the hotclass plugin, serving a fixture game written to
 * test/.tmp/<unique>/, and Debian's Chromium driven by playwright-core.
 */

const repo = resolve(import.meta.dirname, '../..')

export function launchBrowser(): Promise<Browser> {
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

export interface Fixture {
  dir: string
  url: string
  server: ViteDevServer
  write(file: string, content: string): Promise<void>
  close(): Promise<void>
}

let serial = 0

/** Write the files, start a dev server on them. Module ids are relative to `dir` (the Vite root). */
export async function startFixture(
  name: string,
  files: Record<string, string>,
  options: Partial<HotclassPluginOptions> = {},
): Promise<Fixture> {
  const dir = join(repo, 'test/.tmp', `e2e-${name}-${process.pid}-${Date.now()}-${serial++}`)
  const write = async (file: string, content: string): Promise<void> => {
    const path = join(dir, file)
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, content)
  }
  for (const [file, content] of Object.entries(files)) await write(file, content)
  const server = await createServer({
    configFile: false,
    root: dir,
    logLevel: 'silent',
    clearScreen: false,
    plugins: [hotclass(options)],
    server: { port: 0, strictPort: false, host: '127.0.0.1', watch: { usePolling: false } },
    // Everything the fixtures import is listed, so no late dependency discovery reloads the page mid-test.
    optimizeDeps: { noDiscovery: true, include: ['debug'] },
  })
  await server.listen()
  const address = server.httpServer?.address()
  if (!address || typeof address === 'string') throw new Error('dev server has no port')
  let closed: Promise<void> | undefined
  return {
    dir,
    url: `http://127.0.0.1:${address.port}/`,
    server,
    write,
    close: () => (closed ??= server.close().then(() => rm(dir, { recursive: true, force: true }))),
  }
}

/** Open the fixture page and wait until the game has started and the hotclass client is connected. */
export async function openGame(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage()
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
