import { logger } from '../env.ts'
import { errors } from '../errors.ts'
import { moduleJournal, runUserEffect } from './journal.ts'
import { storeOf } from './store.ts'

const log = logger('core')

/** Written by the hotclass transform after the user's argument: which module and which call site. */
export interface OnceInfo {
  module: string
  /** A hash of the setup function's source (plus its rank among identical ones). */
  key?: string
}

/** Set-up code's optional return: a function that undoes it. */
export type Setup = () => void | (() => void)

/** Without the transform there is no module to key by: one set-up per source text, for the process. */
const untracked = new Set<string>()

/**
 * Run module set-up that must happen once, not on every swap of the module: registering a ticker,
 * adding to the stage, opening a socket. A swap re-evaluates the module's top-level code; a `once`
 * block whose source is unchanged is skipped. When its source is edited, or it is removed, the function
 * the old block returned (its disposer) runs when the swap commits and the new block runs instead. A
 * failed swap runs the new block's disposer and keeps the old one.
 *
 * Pair it with functions, which keep their identity across swaps: a ticker holding `tick` runs the new
 * body of `tick` after a swap, so `once(() => ticker.add(tick))` never needs to run again.
 *
 * The second argument is written by the hotclass transform; users pass only the set-up.
 * @example
 * import { once } from 'hotclass'
 * export function tick(dt: number) { world.update(dt) }
 * once(() => {
 *   app.ticker.add(tick)
 *   return () => app.ticker.remove(tick)
 * })
 */
export function once(setup: Setup, info?: OnceInfo): void {
  if (typeof setup !== 'function') throw errors.badArgument('once(setup)', 'a function', setup)
  const store = info?.key !== undefined ? storeOf(info.module) : undefined
  if (!store || info?.key === undefined) {
    const key = Function.prototype.toString.call(setup)
    if (untracked.has(key)) return
    untracked.add(key)
    setup()
    return
  }
  const key = info.key
  if (store.onces.has(key)) return
  const record = { dispose: undefined as (() => void) | undefined }
  store.onces.set(key, record)
  moduleJournal(store.id)?.undo.push(() => {
    store.onces.delete(key)
    if (record.dispose) runUserEffect(record.dispose, `the disposer of a once() block in ${store.id}`)
  })
  const result = setup()
  if (typeof result === 'function') record.dispose = result
}

/**
 * Register cleanup for this version of the module: it runs when a newer version of the module commits
 * (and, for a version whose swap fails, right away, so the failed version leaves nothing behind). For
 * top-level code that runs on every evaluation and must not pile up (a sprite added per version).
 * Needs the hotclass transform to know the module; without it the callback is never called.
 *
 * The second argument is written by the hotclass transform; users pass only the callback.
 * @example
 * import { dispose } from 'hotclass'
 * const label = app.stage.addChild(new Text({ text: 'v2' }))
 * dispose(() => label.destroy())
 */
export function dispose(cleanup: () => void, info?: OnceInfo): void {
  if (typeof cleanup !== 'function') throw errors.badArgument('dispose(cleanup)', 'a function', cleanup)
  const store = info ? storeOf(info.module) : undefined
  if (!store) {
    log('dispose() outside the hotclass transform: the callback will not run')
    return
  }
  store.disposers.push(cleanup)
  // In a swap that fails, this version is discarded: its cleanup runs with the other undos, newest first.
  moduleJournal(store.id)?.undo.push(() => runUserEffect(cleanup, `a dispose() callback of ${store.id}`))
}
