import { swapModules } from '../core/swap.ts'
import type { SwapReport } from '../core/types.ts'
import { applicable } from './applicable.ts'
import { attempted, failedImport, servedPath, setPlan, wasImported } from './browser-host.ts'
import { send } from './connection.ts'
import { mark } from './marks.ts'
import { current, dropPending, nextState } from './state.ts'

type ReloadListener = (report: SwapReport) => void

const listeners = new Set<ReloadListener>()
let reloadCount = 0
let lastReport: SwapReport | undefined
let running: Promise<SwapReport> | undefined
let queued: Promise<SwapReport> | undefined
/** Modules whose version at this save (mtime) failed to load: held back until saved again. */
const failedLoads = new Map<string, number>()

export function reloadStats(): { reloadCount: number; lastReport: SwapReport | undefined } {
  return { reloadCount, lastReport }
}

/**
 * Swap every pending module now, in one transaction, in dependency order (DST's DoReload). A module
 * that does not compile or failed to load at its current save is held back with what imports it, and
 * the rest is applied. Only what was applied leaves the pending set; a failed swap leaves the old code
 * running and everything pending.
 * Calls made while a swap runs share one follow-up swap, so a burst of saves costs two swaps at most.
 * @example
 * const report = await doReload()
 * if (!report.ok) console.warn(report.error?.message)
 */
export function doReload(): Promise<SwapReport> {
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

async function reloadNow(): Promise<SwapReport> {
  mark('reload')
  // The server answers the page's hello within a round trip; a key pressed before that waits for it.
  if (!current().connected && import.meta.hot) await nextState(1000)
  // A swap that did not commit left its module versions evaluated in the browser's cache; the server
  // gives them new timestamps first, or they would not evaluate again.
  if (current().pending.some(wasImported)) {
    send({ type: 'hotclass:restamp', ids: current().pending.map((p) => p.id) })
    await nextState(2000)
  }
  const { pending, problems } = current()
  const split = applicable(pending, problems, failedLoads)
  // With nothing applicable, the swap of everything fails on the broken module and says why.
  const plan = split.apply.length > 0 ? split.apply : pending
  if (plan.length === 0) {
    return finish({ ok: true, modules: [], classes: [], durationMs: 0, patchMs: 0, kind: 'swap' })
  }
  setPlan(plan)
  attempted.length = 0
  mark('swap')
  const report = await swapModules(plan.map(servedPath))
  mark('committed')
  const culprit = plan.find((m) => m.id === failedImport())
  setPlan([])
  if (report.ok) {
    const applied = plan.map((m) => ({ id: m.id, t: m.t }))
    dropPending(applied)
    send({ type: 'hotclass:applied', modules: applied })
    reloadCount++
    return finish(report)
  }
  const restamped = attempted.length > 0
  if (restamped) send({ type: 'hotclass:restamp', ids: [...attempted] })
  // The next swap goes on without the module that failed to load, until it is saved again; if that
  // leaves something to apply, it is applied now. Each retry holds back one more module, so this ends.
  if (!culprit || failedLoads.get(culprit.id) === culprit.mtime) return finish(report)
  failedLoads.set(culprit.id, culprit.mtime)
  finish(report)
  if (applicable(current().pending, current().problems, failedLoads).apply.length === 0) return report
  // The retry imports fresh timestamps for what this attempt evaluated: wait for the server's.
  if (restamped) await nextState(2000)
  return reloadNow()
}

function finish(report: SwapReport): SwapReport {
  lastReport = report
  for (const listener of listeners) {
    try {
      listener(report)
    } catch (err) {
      console.error('[hotclass] an onReload listener threw:', err)
    }
  }
  return report
}

/**
 * Call `listener` with the report of every `doReload()` (the probe key, auto mode, or a call by hand),
 * including failed ones and presses with nothing pending. Returns a function that unsubscribes.
 * @example
 * onReload((report) => hud.toast(formatReport(report)))
 */
export function onReload(listener: ReloadListener): () => void {
  listeners.add(listener)
  return () => void listeners.delete(listener)
}
