import type { ClassChange, SwapReport } from './types.ts'
import { options } from './config.ts'
import { createListeners } from './listeners.ts'

type Listener = (report: SwapReport) => void

const listeners = createListeners<[SwapReport]>('onSwap')

const recent: SwapReport[] = []
let swaps = 0

/** Keep a report for `inspect()` and tell every `onSwap` listener. A throwing listener is logged, not fatal. */
export function publish(report: SwapReport): SwapReport {
  if (report.ok) swaps++
  recent.push(report)
  while (recent.length > options().reportLimit) recent.shift()
  listeners.emit(report)
  return report
}

/**
 * Call `listener` after every swap and rollback, successful or not. Returns a function that unsubscribes.
 * @example
 * const off = onSwap((r) => console.log(r.ok ? `swapped ${r.classes.length}` : r.error?.message))
 */
export function onSwap(listener: Listener): () => void {
  return listeners.add(listener)
}

export function recentReports(): readonly SwapReport[] {
  return recent
}

export function committedSwaps(): number {
  return swaps
}

/**
 * The classes a report should show: those that changed something (a member added, removed or changed,
 * a new base, a new class) or carry a warning. A 5-file edit listed 10–25 classes as `+0 -0 ~0`; the rest
 * stay in the report itself and in `inspect()`.
 * @example
 * for (const change of changedClasses(report)) hud.line(change.name)
 */
export function changedClasses(report: SwapReport): ClassChange[] {
  return report.classes.filter(
    (c) =>
      c.isNew ||
      c.isRemoved ||
      c.baseChanged ||
      c.added.length + c.removed.length + c.changed.length > 0 ||
      c.warnings.length > 0,
  )
}

/** A one-line summary: `swapped Room (+1 -0 ~2) in 0.4 ms`, or the error. Unchanged classes are left out. */
export function formatReport(report: SwapReport): string {
  if (!report.ok) return `${report.kind} failed: ${report.error?.message.split('\n')[0] ?? 'unknown error'}`
  const verb = report.kind === 'rollback' ? 'rolled back' : 'swapped'
  const time = `in ${report.durationMs.toFixed(1)} ms`
  if (report.classes.length === 0) return `${verb} ${report.modules.join(', ')} (no reloadable classes) ${time}`
  const shown = changedClasses(report)
  if (shown.length === 0) return `${verb} ${report.modules.join(', ')} (no class changed) ${time}`
  const parts = shown.map(
    (c) =>
      `${c.name}${c.isNew ? ' (new)' : c.isRemoved ? ' (removed)' : ` (+${c.added.length} -${c.removed.length} ~${c.changed.length})`}`,
  )
  return `${verb} ${parts.join(', ')} ${time}`
}

/**
 * Everything a report warns about, one line each: what a class's swap could not reach (fields on
 * untracked instances, frozen objects) and what a module's could not carry over (a handed-out method of
 * a plain class that was replaced).
 */
export function reportWarnings(report: SwapReport): string[] {
  return [
    ...report.classes.flatMap((c) => c.warnings.map((w) => (w.startsWith(`${c.name}`) ? w : `${c.name}: ${w}`))),
    ...(report.state ?? []).flatMap((m) => m.warnings ?? []),
  ]
}
