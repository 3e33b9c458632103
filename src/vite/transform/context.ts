import type MagicString from 'magic-string'
import type { Analysis } from './analysis.ts'

/**
 * What the transform's emitters share for one module: the analysis (read only), the MagicString every
 * edit goes through (so one source map covers them all), and the facts one emitter leaves for a later
 * one. A leaf: it imports no emitter.
 */
export interface TransformContext {
  /** Root-relative module id, e.g. `demo/entities/Enemy.ts` (query stripped). */
  id: string
  /** JS after Oxc. */
  code: string
  /** The module analysed once: program, imports, scopes, reloadable classes, capture sites, exports. */
  a: Analysis
  /** All edits go through it, so the source map stays right. */
  s: MagicString
  /** What the fields emitter recorded for each reloadable class binding, for `__class.open` or `reloadable(...)`. */
  classInfo: Map<string, ClassInfo>
  /** `reloadable(...)` calls whose class the classes emitter lowered (their info went to `__class.open`). */
  loweredCalls: Set<object>
  /** Every export the transform keeps live across versions, by local name (reloadable classes first). */
  covered: Set<string>
}

/** Facts about a reloadable class that its `TransformInfo` carries to the core, as source text. */
export interface ClassInfo {
  /** `fields: { hp() { return (100); } }`: each instance field's initialiser. */
  fields: string
  /** `computedFields: ["[KEY]"]`: fields whose key is known only when the class evaluates it. */
  computedFields?: string
  /** `bodyFields: ["secret"]`: fields whose initialiser only the class body can run (it reads `#private`). */
  bodyFields?: string
}

/** The extra `TransformInfo` properties a class's info carries, in the order the core reads them. */
export function infoProperties(info: ClassInfo | undefined): string[] {
  if (!info) return []
  const out = [info.fields]
  if (info.computedFields !== undefined) out.push(info.computedFields)
  if (info.bodyFields !== undefined) out.push(info.bodyFields)
  return out
}
