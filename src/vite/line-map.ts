import { vlqDigit, writeVlq } from '../client/vlq.ts'

/**
 * Line-level source maps, read and written in one pass over their bytes: what a multi-megabyte generated
 * module can afford (deferred-maps.ts). A column-exact map of the 4 MB level module has 1.5 million
 * segments; decoding, tracing and re-encoding those through Vite's chain was over half of its swap.
 */

const COMMA = 44
const SEMICOLON = 59

/**
 * For each generated line of a source map, the source line (0-based) of its first segment that has one.
 * A line without a mapped segment takes the line before it's (its code continues that statement), and
 * lines before the first mapped one get -1. Only the first source (index 0) is expected: Oxc's maps of a
 * module name the module alone.
 */
export function firstSourceLines(mappings: string, lineCount: number): Int32Array {
  const out = new Int32Array(lineCount).fill(-1)
  let line = 0
  let field = 0
  let value = 0
  let shift = 0
  let sourceLine = 0
  let found = false
  let last = -1
  for (let i = 0; i <= mappings.length; i++) {
    const c = i < mappings.length ? mappings.charCodeAt(i) : SEMICOLON
    if (c === COMMA || c === SEMICOLON) {
      field = 0
      if (c === SEMICOLON) {
        if (line < lineCount) out[line] = last
        line++
        found = false
      }
      continue
    }
    const digit = vlqDigit(c)
    if (digit < 0) continue
    value += (digit & 31) << shift
    if (digit & 32) {
      shift += 5
      continue
    }
    const n = value & 1 ? -(value >>> 1) : value >>> 1
    value = 0
    shift = 0
    // Fields: generated column, source index, source line, source column, name; lines are deltas across the map.
    if (field === 2) {
      sourceLine += n
      if (!found) {
        found = true
        last = sourceLine
      }
    }
    field++
  }
  for (let l = line; l < lineCount; l++) out[l] = last
  return out
}

/**
 * A mappings string with one segment per generated line, at its column 0, pointing at column 0 of
 * `sourceLines[line]` in source 0 (a line given -1 gets no segment). `offsetLines` empty lines come
 * first: Vite's module runner evaluates a module a few lines into a wrapper function.
 */
export function lineMappings(sourceLines: Int32Array, offsetLines = 0): string {
  // Per line at most "A" + "A" + a 7-digit line delta + "A" + ";".
  const bytes = Buffer.allocUnsafe(offsetLines + sourceLines.length * 11)
  let at = 0
  for (let i = 0; i < offsetLines; i++) bytes[at++] = SEMICOLON
  let previous = 0
  for (let line = 0; line < sourceLines.length; line++) {
    if (line > 0) bytes[at++] = SEMICOLON
    const source = sourceLines[line]!
    if (source < 0) continue
    bytes[at++] = 65 // 'A': column 0
    bytes[at++] = 65 // 'A': source 0
    at = writeVlq(bytes, at, source - previous)
    bytes[at++] = 65 // 'A': source column 0
    previous = source
  }
  return bytes.toString('latin1', 0, at)
}

/** The number of lines of `code` (one more than its line feeds). */
export function countLines(code: string): number {
  let count = 1
  for (let at = code.indexOf('\n'); at !== -1; at = code.indexOf('\n', at + 1)) count++
  return count
}
