import { options } from '../config.ts'
import { addReportSection, onSwap } from '../report.ts'
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
/** The journal of the swap whose report is published next (swaps are serialised by the core). */
let latest: ModuleJournal | undefined
/** The rollback steps of committed swaps that made a history step, newest last. */
const steps: Array<Array<() => void>> = []

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
    j = { undo: txn.undo, commit: [], rollback: [], modules: new Map() }
    journals.set(txn, j)
    latest = j
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

addReportSection((report) => {
  // A failed swap's module state was put back already: it did nothing to report.
  if (report.kind !== 'swap' || !report.ok || !latest || latest.modules.size === 0) return
  report.state = [...latest.modules.values()].map((read) => read())
})

// Until the transaction runs commit effects and carries rollback steps in its history step itself, the
// report that follows a swap is that swap's outcome. An aborted swap has run its undo steps already.
onSwap((report) => {
  if (report.kind === 'rollback') {
    if (report.ok) for (const undo of (steps.pop() ?? []).toReversed()) undo()
    return
  }
  const ended = latest
  latest = undefined
  if (!report.ok) return
  if (ended) for (const effect of ended.commit) effect()
  // Every history step gets an entry, empty for swaps that evaluated no transformed module (an
  // implicit swap of one class), so rollback() pops the steps of the swap it undoes.
  if (report.step !== undefined) {
    steps.push(ended?.rollback ?? [])
    while (steps.length > options().historyLimit) steps.shift()
  }
})
