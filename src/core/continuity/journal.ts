import { transactionFor } from '../transaction.ts'
import type { Transaction } from '../transaction.ts'
import type { ModuleStateChange } from '../types.ts'

/**
 * What module evaluations do inside one open swap. The core's transaction patches classes; module state
 * is written while the new version evaluates (its own top-level code must see the values), so every
 * write leaves an undo step here, in the transaction's own undo list: an aborted swap runs it newest
 * first with the class restores, and the old version keeps running exactly as before.
 */
export interface ModuleJournal {
  /** Undo steps, run newest first if the swap does not commit. The transaction's own list. */
  undo: Array<() => void>
  /** Effects that wait for the commit: the replaced version's disposers, stale once-blocks. */
  commit: Array<() => void>
  /** What `rollback()` of this swap runs, newest first: exported functions get their old bodies back. */
  rollback: Array<() => void>
  /** What each module evaluated in this swap did to its state, for the report. */
  modules: Map<string, () => ModuleStateChange>
}

const journals = new WeakMap<Transaction, ModuleJournal>()

/**
 * The journal of the swap now evaluating `module`, or undefined when no swap covers it (apply at once).
 * @example
 * moduleJournal(store.id)?.undo.push(() => (cell.v = old))
 */
export function moduleJournal(module: string): ModuleJournal | undefined {
  const txn = transactionFor(module)
  if (!txn) return undefined
  let j = journals.get(txn)
  if (!j) {
    // The transaction's own lists: it runs the undo on abort, the effects at commit, and its history
    // step carries the rollback steps.
    j = { undo: txn.undo, commit: txn.onCommit, rollback: txn.onRollback, modules: new Map() }
    journals.set(txn, j)
  }
  return j
}

/** What each module a transaction evaluated did to its state, for its report; undefined if it evaluated none. */
export function moduleStates(txn: Transaction): ModuleStateChange[] | undefined {
  const j = journals.get(txn)
  return j && j.modules.size > 0 ? [...j.modules.values()].map((read) => read()) : undefined
}

/** Run an effect when the open swap commits, or now when no swap covers the module. */
export function atCommit(j: ModuleJournal | undefined, effect: () => void): void {
  if (j) j.commit.push(effect)
  else effect()
}

/** Run an effect that belongs to the user (a disposer): a throw is logged, never fatal to the swap. */
export function runUserEffect(effect: () => void, what: string): void {
  try {
    effect()
  } catch (error) {
    console.error(`[hotclass] ${what} threw:`, error)
  }
}
