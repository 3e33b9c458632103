import type { Analysis } from './analysis.ts'

/**
 * The one decision of whether a module can be swapped in place: every export stays live when the module
 * is re-evaluated, because it is a reloadable class (patched by the core), a function (a stable wrapper)
 * or a kept variable (mirrored into every version) — the names in `covered`. A re-export, a plain value
 * or an anonymous default would leave importers holding the old value, so such a module falls back to
 * the host's normal update. A module without exports (an entry, a side-effect module) is not swappable.
 */
export function isSwappable(a: Analysis, covered: ReadonlySet<string>): boolean {
  if (a.exports.reexports) return false
  let exported = 0
  for (const { local } of a.exports.defaults) {
    if (local !== undefined && covered.has(local)) exported++
    else if (!covered.has('default')) return false
  }
  for (const b of a.scope.bindings.values()) {
    if (b.exportedAs.length === 0) continue
    if (!covered.has(b.name)) return false
    exported += b.exportedAs.length
  }
  return exported > 0
}
