import type { ModuleProblem, PendingModule } from './protocol.ts'

/**
 * The largest part of the pending list that can be applied while some of it is broken (issue: one
 * broken file held every other save hostage). A module is held back when it does not transform, when it
 * failed to load at its current save, when a non-swappable file it carries is broken, or when it needs
 * (imports, directly or not) a held-back module. Everything else goes in one transaction, in order.
 */
export function applicable(
  pending: readonly PendingModule[],
  problems: readonly ModuleProblem[],
  failedLoads: ReadonlyMap<string, number>,
): { apply: PendingModule[]; held: PendingModule[] } {
  const broken = new Set(problems.map((p) => p.id))
  const held = new Set<string>()
  for (const p of pending) {
    if (broken.has(p.id) || p.via.some((v) => broken.has(v)) || failedLoads.get(p.id) === p.mtime) held.add(p.id)
  }
  // Import cycles can name a later module: repeat until nothing more is held back.
  for (let changed = held.size > 0; changed;) {
    changed = false
    for (const p of pending) {
      if (!held.has(p.id) && p.needs.some((n) => held.has(n))) {
        held.add(p.id)
        changed = true
      }
    }
  }
  return { apply: pending.filter((p) => !held.has(p.id)), held: pending.filter((p) => held.has(p.id)) }
}
