import { countLines } from './line-map.ts'

/**
 * Which line of a module each line of its transformed code came from, found by comparing the two texts
 * line by line: how a huge module's line map is rebuilt after Vite's SSR transform (deferred-maps.ts)
 * without a source map from each step. The transforms between the two (hotclass's, Vite's SSR one) keep
 * almost every line whole: they insert lines (hoisted imports, `__vite_ssr_exportName__` calls, the
 * module-state prelude) and rewrite a few in place.
 */

/** How many lines must agree again after a difference before the two texts count as back in step. */
const ANCHOR = 3
/** How far ahead a difference is looked past: inserted lines (a prelude, hoisted imports) can be many. */
const INSERTED = 4096
/** Lines of the original dropped or merged by a transform are few. */
const REMOVED = 64
/**
 * Hash comparisons allowed per line, in all: text that keeps differing (a rewritten region longer than
 * the look-ahead) is paired line for line from then on, so the cost stays linear in the module.
 */
const BUDGET_PER_LINE = 64

/** One hash per line, length folded in (FNV-1a over the UTF-16 code units). */
function lineHashes(code: string): Int32Array {
  const out = new Int32Array(countLines(code))
  let line = 0
  let hash = 0x811c9dc5
  let length = 0
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i)
    if (c === 10) {
      out[line++] = Math.imul(hash ^ length, 0x01000193)
      hash = 0x811c9dc5
      length = 0
      continue
    }
    hash = Math.imul(hash ^ c, 0x01000193)
    length++
  }
  out[line] = Math.imul(hash ^ length, 0x01000193)
  return out
}

/**
 * For each line of `edited`, the 0-based line of `original` it was made from. Lines equal in both are
 * paired in order; a run of `edited` lines that differ is paired with the run of `original` lines it
 * replaced, in order (its extra lines with the last of them, or, for lines only inserted, with the line
 * they were inserted before). Texts count as back in step where ANCHOR lines agree, so an untouched
 * line right next to an edit may be paired as part of it, one line off. Lines are compared by hash: a
 * collision only misplaces a line number.
 */
export function alignLines(edited: string, original: string): Int32Array {
  const e = lineHashes(edited)
  const o = lineHashes(original)
  const out = new Int32Array(e.length)
  let budget = BUDGET_PER_LINE * (e.length + o.length) + 1_000_000

  /** Whether both texts agree for ANCHOR lines from here, or from here until one of them ends. */
  const inStep = (i: number, j: number): boolean => {
    for (let t = 0; t < ANCHOR; t++) {
      if (i + t >= e.length || j + t >= o.length) return t > 0 || (i + t >= e.length && j + t >= o.length)
      if (e[i + t] !== o[j + t]) return false
    }
    return true
  }

  /** The nearest [inserted, removed] line counts after which the texts are in step again. */
  const resync = (i: number, j: number): [number, number] | undefined => {
    const aMax = Math.min(INSERTED, e.length - i)
    const bMax = Math.min(REMOVED, o.length - j)
    for (let k = 1; k <= aMax + bMax; k++) {
      for (let b = Math.min(k, bMax); b >= 0 && k - b <= aMax; b--) {
        if (--budget < 0) return undefined
        if (inStep(i + k - b, j + b)) return [k - b, b]
      }
    }
    return undefined
  }

  let i = 0
  let j = 0
  while (i < e.length) {
    if (j < o.length && e[i] === o[j]) {
      out[i++] = j++
      continue
    }
    // No place in step ahead: take this line as a rewrite of the original's and look again from the next.
    const [a, b] = resync(i, j) ?? [1, j < o.length ? 1 : 0]
    for (let k = 0; k < a; k++) out[i + k] = b > 0 ? j + Math.min(k, b - 1) : Math.min(j, o.length - 1)
    i += a
    j += b
  }
  return out
}
