import { createListeners } from '../core/listeners.ts'
import { onSwap } from '../core/report.ts'
import { swapModules } from '../core/swap.ts'
import type { SwapReport } from '../core/types.ts'
import { applicable } from './applicable.ts'
import { moduleHref } from './browser-host.ts'
import type { BrowserHost } from './browser-host.ts'
import { mark } from './marks.ts'
import type { ClientMessage } from './protocol.ts'
import type { ClientState } from './state.ts'

/** What a reloader works with: the page's host, the server channel and the page's view of the server. */
export interface ReloaderDeps {
  browser: Pick<BrowserHost, 'beginLog' | 'wasImported'>
  send(message: ClientMessage): void
  current(): ClientState
  dropPending(applied: ReadonlyArray<{ id: string; t: number }>): void
  /** Resolves at the next state message, or after `timeoutMs`. */
  nextState(timeoutMs: number): Promise<void>
  /** Whether a dev server will answer the page's hello (false without HMR: nothing to wait for). */
  hasServer: boolean
}

/** The F5 path of one page: swaps what is pending, and tells listeners about every report. */
export interface Reloader {
  doReload(): Promise<SwapReport>
  onReload(listener: (report: SwapReport) => void): () => void
  readonly reloadCount: number
  readonly lastReport: SwapReport | undefined
  /** Stop relaying the core's reports (a page torn down in a test). */
  close(): void
}

/**
 * Build the page's reloader. Every report the core publishes (a swap by the key, auto mode, a
 * `hotswap()` or `rollback()` by hand) reaches `onReload` listeners once, plus the report of a press
 * with nothing pending, which swaps nothing: one stream for a HUD to follow.
 */
export function createReloader(deps: ReloaderDeps): Reloader {
  const listeners = createListeners<[SwapReport]>('onReload')
  let reloadCount = 0
  let lastReport: SwapReport | undefined
  let running: Promise<SwapReport> | undefined
  let queued: Promise<SwapReport> | undefined
  /** Modules whose version at this save (mtime) failed to load: held back until saved again. */
  const failedLoads = new Map<string, number>()

  const heard = (report: SwapReport): void => {
    lastReport = report
    listeners.emit(report)
  }
  const offSwap = onSwap(heard)

  async function reloadNow(): Promise<SwapReport> {
    mark('reload')
    // The server answers the page's hello within a round trip; a key pressed before that waits for it.
    if (!deps.current().connected && deps.hasServer) await deps.nextState(1000)
    // A swap that did not commit left its module versions evaluated in the browser's cache; the server
    // gives them new timestamps first, or they would not evaluate again.
    if (deps.current().pending.some(deps.browser.wasImported)) {
      deps.send({ type: 'hotclass:restamp', ids: deps.current().pending.map((p) => p.id) })
      await deps.nextState(2000)
    }
    const { pending, problems } = deps.current()
    const split = applicable(pending, problems, failedLoads)
    // With nothing applicable, the swap of everything fails on the broken module and says why.
    const plan = split.apply.length > 0 ? split.apply : pending
    if (plan.length === 0) {
      // Nothing to swap, so the core publishes nothing: the page's listeners still hear the press.
      const nothing: SwapReport = { ok: true, modules: [], classes: [], durationMs: 0, patchMs: 0, kind: 'swap' }
      heard(nothing)
      return nothing
    }
    const log = deps.browser.beginLog()
    // Each URL carries the server's timestamp for that version: the host imports exactly it.
    mark('swap')
    const report = await swapModules(plan.map(moduleHref))
    mark('committed')
    const culprit = plan.find((m) => m.id === log.failed)
    if (report.ok) {
      const applied = plan.map((m) => ({ id: m.id, t: m.t }))
      deps.dropPending(applied)
      deps.send({ type: 'hotclass:applied', modules: applied })
      reloadCount++
      return report
    }
    const restamped = log.attempted.length > 0
    if (restamped) deps.send({ type: 'hotclass:restamp', ids: [...log.attempted] })
    // The next swap goes on without the module that failed to load, until it is saved again; if that
    // leaves something to apply, it is applied now. Each retry holds back one more module, so this ends.
    if (!culprit || failedLoads.get(culprit.id) === culprit.mtime) return report
    failedLoads.set(culprit.id, culprit.mtime)
    if (applicable(deps.current().pending, deps.current().problems, failedLoads).apply.length === 0) return report
    // The retry imports fresh timestamps for what this attempt evaluated: wait for the server's.
    if (restamped) await deps.nextState(2000)
    return reloadNow()
  }

  function doReload(): Promise<SwapReport> {
    if (running) {
      queued ??= running.then(() => {
        queued = undefined
        return doReload()
      })
      return queued
    }
    const run = reloadNow().finally(() => {
      running = undefined
    })
    running = run
    return run
  }

  return {
    doReload,
    onReload: listeners.add,
    get reloadCount() {
      return reloadCount
    },
    get lastReport() {
      return lastReport
    },
    close() {
      offSwap()
      listeners.clear()
    },
  }
}
