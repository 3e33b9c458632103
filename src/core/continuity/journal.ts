import { options } from '../config.ts'
import { logger } from '../env.ts'
import { onSwap } from '../report.ts'
import { openTransaction } from '../transaction.ts'
import { setImplementation } from './function-cell.ts'
import type { FunctionCell } from './function-cell.ts'

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
}

let pending: Journal | undefined
/** Function changes of committed swaps that made a history step, newest last, for `rollback()`. */
const steps: FunctionChange[][] = []

/** The journal of the swap now evaluating modules, or undefined when no swap is open (apply at once). */
export function journal(): Journal | undefined {
  if (!openTransaction()) return undefined
  return (pending ??= { undo: [], commit: [], functions: [] })
}

/** Run an effect that belongs to the user (a disposer): a throw is logged, never fatal to the swap. */
export function runUserEffect(effect: () => void, what: string): void {
  try {
    effect()
  } catch (error) {
    console.error(`[hotclass] ${what} threw:`, error)
  }
}

// Swaps are serialised by the core and every one ends in exactly one published report, so the report
// that follows an evaluation inside a transaction is that transaction's outcome.
onSwap((report) => {
  if (report.kind === 'rollback') {
    if (report.ok) undoFunctions(steps.pop())
    return
  }
  const settled = pending
  pending = undefined
  if (!settled) return
  if (!report.ok) {
    log('swap failed: undoing %d module-state writes', settled.undo.length)
    for (const undo of settled.undo.toReversed()) undo()
    return
  }
  for (const effect of settled.commit) effect()
  // Only swaps that made a history step are undone by rollback(); keep the two stacks aligned.
  if (report.step !== undefined) {
    steps.push(settled.functions)
    while (steps.length > options().historyLimit) steps.shift()
  }
})

function undoFunctions(changes: FunctionChange[] | undefined): void {
  if (!changes) return
  for (const { cell, from } of changes.toReversed()) setImplementation(cell, from)
}
