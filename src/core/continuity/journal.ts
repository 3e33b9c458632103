import { options } from '../config.ts'
import { logger } from '../env.ts'
import { addReportSection, onSwap } from '../report.ts'
import { transactionFor } from '../transaction.ts'
import { setImplementation } from './function-cell.ts'
import type { FunctionCell } from './function-cell.ts'
import type { ModuleStateChange } from '../types.ts'

const log = logger('core')

/** An exported function's implementation before and after one swap, so `rollback()` can put it back. */
export interface FunctionChange {
  cell: FunctionCell
  from: Function
}

/**
 * What module evaluations did inside one open swap. The core's transaction knows classes only; module
 * state is written while the new version evaluates (its own top-level code must see the values), so
 * every write leaves an undo here. When the swap's report is published the journal is settled: a
 * failed swap runs the undos newest first (the old version keeps running exactly as before), a
 * committed one runs the deferred effects (disposers of the replaced version).
 */
export interface Journal {
  undo: Array<() => void>
  commit: Array<() => void>
  functions: FunctionChange[]
  /** What each module evaluated in this swap did to its state, for the report. */
  modules: Map<string, () => ModuleStateChange>
}

let pending: Journal | undefined
/** Function changes of committed swaps that made a history step, newest last, for `rollback()`. */
const steps: FunctionChange[][] = []

/** The journal of the swap now evaluating `module`, or undefined when no swap covers it (apply at once). */
export function journal(module: string): Journal | undefined {
  if (!transactionFor(module)) return undefined
  return (pending ??= { undo: [], commit: [], functions: [], modules: new Map() })
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
  if (report.kind !== 'swap' || !pending || pending.modules.size === 0) return
  report.state = [...pending.modules.values()].map((read) => read())
})

// Swaps are serialised by the core and every one ends in exactly one published report, so the report
// that follows an evaluation inside a transaction is that transaction's outcome.
onSwap((report) => {
  if (report.kind === 'rollback') {
    if (report.ok) undoFunctions(steps.pop())
    return
  }
  const settled = pending
  pending = undefined
  if (!report.ok) {
    if (!settled) return
    log('swap failed: undoing %d module-state writes', settled.undo.length)
    for (const undo of settled.undo.toReversed()) undo()
    return
  }
  if (settled) for (const effect of settled.commit) effect()
  // Every history step gets an entry, empty for swaps that evaluated no transformed module (an
  // implicit swap of one class), so rollback() pops the function changes of the step it undoes.
  if (report.step !== undefined) {
    steps.push(settled?.functions ?? [])
    while (steps.length > options().historyLimit) steps.shift()
  }
})

function undoFunctions(changes: FunctionChange[] | undefined): void {
  if (!changes) return
  for (const { cell, from } of changes.toReversed()) setImplementation(cell, from)
}
