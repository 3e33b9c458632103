/* oxlint-disable no-underscore-dangle -- `__HOTCLASS__` is the global the client publishes */
import { enemyTs, launchBrowser, startGame, waitForPending } from '../test/e2e/probe-harness.ts'
import type { Game, GameWindow } from '../test/e2e/probe-harness.ts'

/**
 * The figure: probe key -> swapped code live in a running page, for a one-file edit, against a full
 * page reload of the same page (what F5 does without the probe), in the same run, in Chromium.
 * Printed as `[figure] ...`; run alone with `npm run bench -- probe-latency` (a fixture page with one
 * enemy and no renderer: the demo's own figure, with the game rendering, is bench/browser-demo-latency.mjs).
 */

const ROUNDS = Number(process.env['HOTCLASS_LATENCY_ROUNDS'] ?? 15)
/** Time between the save being seen and the key press. */
const THINK_MS = Number(process.env['HOTCLASS_LATENCY_THINK_MS'] ?? 200)

interface SwapSample {
  /** From the keydown event's timestamp to the `onReload` callback, with the new code answering. */
  inPage: number
  /** From the Node side's key press to the page reporting the new code live (CDP round trips included). */
  endToEnd: number
  durationMs: number
  patchMs: number
}

interface ReloadSample {
  /** From `page.reload()` to the game's entry having run again (and the client connected). */
  endToEnd: number
  /** In the reloaded page: navigation start to the end of the game's entry module. */
  inPage: number
}

type Measuring = GameWindow & {
  enemy: { describe(): string }
  onReload(listener: (report: { durationMs: number; patchMs: number }) => void): () => void
  measurement?: Promise<{ inPage: number; durationMs: number; patchMs: number; text: string }>
  addEventListener(type: 'keydown', listener: (e: { timeStamp: number }) => void, options: object): void
  readyAt: number
}

function median(values: readonly number[]): number {
  const sorted = values.toSorted((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

function p90(values: readonly number[]): number {
  const sorted = values.toSorted((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.9) - 1)]!
}

const ms = (n: number) => `${n.toFixed(1)} ms`

const browser = await launchBrowser()
const g: Game = await startGame(browser, 'latency')

async function measureSwap(version: number): Promise<SwapSample> {
  await g.fx.write('Enemy.ts', enemyTs(`v${version}`))
  await waitForPending(g.page, 1)
  // A person saves, switches to the game and presses the key: never within a few frames of the save.
  // In that time the client has fetched and compiled the pending version (modulepreload).
  await g.page.waitForTimeout(THINK_MS)
  await g.page.evaluate(() => {
    const w = globalThis as unknown as Measuring
    // The swap can commit inside the key's own dispatch, before a listener added now (after the client's)
    // sees the key: the figure is made once both have happened, in whichever order.
    let keyAt = Number.NaN
    let live: { at: number; report: { durationMs: number; patchMs: number }; text: string } | undefined
    let done: (() => void) | undefined
    w.measurement = new Promise((resolve) => {
      done = () => {
        if (!live || Number.isNaN(keyAt)) return
        resolve({
          inPage: live.at - keyAt,
          durationMs: live.report.durationMs,
          patchMs: live.report.patchMs,
          text: live.text,
        })
      }
    })
    w.addEventListener(
      'keydown',
      (e) => {
        keyAt = e.timeStamp
        done!()
      },
      { capture: true, once: true },
    )
    const off = w.onReload((report) => {
      off()
      live = { at: performance.now(), report, text: w.enemy.describe() }
      done!()
    })
  })
  const started = performance.now()
  await g.page.keyboard.press('F5')
  const result = await g.page.evaluate(() => (globalThis as unknown as Measuring).measurement!)
  const endToEnd = performance.now() - started
  if (result.text !== `v${version}:42`) throw new Error(`after swap ${version} the enemy says ${result.text}`)
  return { inPage: result.inPage, endToEnd, durationMs: result.durationMs, patchMs: result.patchMs }
}

async function measureReload(): Promise<ReloadSample> {
  const started = performance.now()
  await g.page.reload({ waitUntil: 'commit' })
  await g.page.waitForFunction(
    () => (globalThis as Measuring).gameReady === true && (globalThis as Measuring).__HOTCLASS__?.connected === true,
    null,
    { polling: 1 },
  )
  const endToEnd = performance.now() - started
  const inPage = await g.page.evaluate(() => (globalThis as unknown as Measuring).readyAt)
  // A reload resets the game, so the next swap starts from a live instance with state again.
  await g.page.evaluate(() => ((globalThis as unknown as { enemy: { hp: number } }).enemy.hp = 42))
  return { endToEnd, inPage }
}

try {
  const swaps: SwapSample[] = []
  const reloads: ReloadSample[] = []
  // One warm-up of each: the first transform of the client and the first swap path are not the figure.
  await measureSwap(1000)
  await measureReload()
  for (let i = 0; i < ROUNDS; i++) {
    swaps.push(await measureSwap(i + 2))
    reloads.push(await measureReload())
  }
  const figure = {
    swapInPage: median(swaps.map((s) => s.inPage)),
    swapInPageP90: p90(swaps.map((s) => s.inPage)),
    swapEndToEnd: median(swaps.map((s) => s.endToEnd)),
    swapDuration: median(swaps.map((s) => s.durationMs)),
    patch: median(swaps.map((s) => s.patchMs)),
    reloadEndToEnd: median(reloads.map((r) => r.endToEnd)),
    reloadInPage: median(reloads.map((r) => r.inPage)),
  }
  console.log(
    [
      `[figure] probe key -> swapped code live, one-file edit, Chromium, median of ${ROUNDS} (key ${THINK_MS} ms after the save):`,
      `  swap, in page (keydown -> new code answering): ${ms(figure.swapInPage)} (p90 ${ms(figure.swapInPageP90)})`,
      `    of which swapModules (import + patch): ${ms(figure.swapDuration)}, patching only: ${ms(figure.patch)}`,
      `  swap, end to end from the test (key press -> page says live): ${ms(figure.swapEndToEnd)}`,
      `  full page reload, end to end (reload -> game running, client connected): ${ms(figure.reloadEndToEnd)}`,
      `    in the reloaded page (navigation start -> game entry done): ${ms(figure.reloadInPage)}`,
    ].join('\n'),
  )
} finally {
  await g.fx.close()
  await browser.close()
}
