import { clientState } from './page.ts'
import type { ModuleProblem, PendingModule } from './protocol.ts'

/**
 * Call `listener` with the number of modules waiting for the probe key, now and whenever it changes
 * (a save, a swap, a page that reloads). Returns a function that unsubscribes.
 * @example
 * onPending((count) => (hud.pending.text = count ? `${count} change(s): press F5` : ''))
 */
export function onPending(listener: (count: number, modules: readonly PendingModule[]) => void): () => void {
  // Every state message carries a new array: compare what is pending, so the HUD hears of real changes.
  let last: string | undefined
  const call = (modules: readonly PendingModule[]): void => {
    const signature = modules.map((m) => `${m.id}@${m.t}`).join('|')
    if (signature === last) return
    last = signature
    listener(modules.length, modules)
  }
  call(clientState.current().pending)
  return clientState.subscribe((s) => call(s.pending))
}

/**
 * Call `listener` with the changed modules that do not compile (file, line, message), now and whenever
 * the list changes: the game keeps the old code until the next good save clears them.
 * @example
 * onProblems((problems) => hud.error(problems[0] && `${problems[0].file}:${problems[0].line}`))
 */
export function onProblems(listener: (problems: readonly ModuleProblem[]) => void): () => void {
  let last: string | undefined
  const call = (problems: readonly ModuleProblem[]): void => {
    const signature = JSON.stringify(problems)
    if (signature === last) return
    last = signature
    listener(problems)
  }
  call(clientState.current().problems)
  return clientState.subscribe((s) => call(s.problems))
}

/** The modules waiting to be swapped, in the order they will be. */
export function pendingModules(): readonly PendingModule[] {
  return clientState.current().pending
}
