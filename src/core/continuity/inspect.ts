import { allStores } from './store.ts'
import type { ModuleChange } from './store.ts'

/** One module whose state the transform keeps, as tools see it. */
export interface ModuleInfo {
  id: string
  /** How many times the module has been evaluated (1 after the first load). */
  version: number
  /** Top-level variables kept across swaps, with their current values. */
  bindings: Record<string, unknown>
  /** Top-level functions that keep their identity. */
  functions: string[]
  /** What the latest evaluation changed: added, removed, re-initialised and kept bindings. */
  lastChange: ModuleChange
}

/**
 * Every module with continuity state: its bindings, functions, and what its latest swap did to them
 * (including declarations it no longer has, which a swap cannot report per class).
 * @example
 * const [game] = inspectModules().filter((m) => m.id === 'src/game.ts')
 * console.log(game.lastChange.removed)
 */
export function inspectModules(): ModuleInfo[] {
  return [...allStores()].map((store) => ({
    id: store.id,
    version: store.version,
    bindings: Object.fromEntries(store.meta.vars.map((name) => [name, store.cells.get(name)?.v])),
    functions: [...store.meta.fns],
    lastChange: store.last,
  }))
}
