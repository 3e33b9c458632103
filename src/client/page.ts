import type { SwapReport } from '../core/types.ts'
import { createBrowserHost } from './browser-host.ts'
import { send } from './connection.ts'
import { createReloader } from './reload.ts'
import { createClientState } from './state.ts'

/**
 * The one page this client runs in: its copy of the server's state, its module loader and its F5 path,
 * built from objects a test can build fresh (`createClientState`, `createBrowserHost`,
 * `createReloader`). The public functions below speak for it.
 */
export const clientState = createClientState()
export const browser = createBrowserHost(clientState)
export const reloader = createReloader({
  browser,
  send,
  current: clientState.current,
  dropPending: clientState.dropPending,
  nextState: clientState.nextState,
  hasServer: Boolean(import.meta.hot),
})

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
  return reloader.doReload()
}

/**
 * Call `listener` with every report of this page: each `doReload()` (the probe key, auto mode, a call by
 * hand, a press with nothing pending), each `rollback()` and `hotswap()`, failed ones included. One
 * stream is enough for a HUD. Returns a function that unsubscribes.
 * @example
 * onReload((report) => hud.toast(formatReport(report)))
 */
export function onReload(listener: (report: SwapReport) => void): () => void {
  return reloader.onReload(listener)
}
