/**
 * Map a position in the code the browser ran back to the user's source, through the inline source map
 * Vite appends to every module it serves in development. Chrome's `Error.stack` gives positions in the
 * served code (types stripped, decorators lowered), which are not the lines the user edited.
 */

import { vlqDigit } from './vlq.ts'

interface RawMap {
  sources?: string[]
  mappings?: string
}

/** Decode one segment of VLQ numbers (`AAAA` -> [0, 0, 0, 0]). */
function decodeSegment(segment: string): number[] {
  const out: number[] = []
  let value = 0
  let shift = 0
  for (let i = 0; i < segment.length; i++) {
    const d = vlqDigit(segment.charCodeAt(i))
    if (d < 0) return out
    value += (d & 31) << shift
    if (d & 32) {
      shift += 5
      continue
    }
    out.push(value & 1 ? -(value >>> 1) : value >>> 1)
    value = 0
    shift = 0
  }
  return out
}

/** The source position of a 1-based line and column of the generated code, or undefined if unmapped. */
export function originalPosition(
  map: RawMap,
  line: number,
  column: number,
): { source: string | undefined; line: number; column: number } | undefined {
  const lines = (map.mappings ?? '').split(';')
  let source = 0
  let srcLine = 0
  let srcCol = 0
  let best: { source: string | undefined; line: number; column: number } | undefined
  for (let l = 0; l < lines.length && l < line; l++) {
    let genCol = 0
    for (const segment of lines[l]!.split(',')) {
      if (segment === '') continue
      const [g = 0, s, sl, sc] = decodeSegment(segment)
      genCol += g
      if (s === undefined || sl === undefined || sc === undefined) continue
      source += s
      srcLine += sl
      srcCol += sc
      // The last segment at or before the column on the wanted line is the one that covers it.
      if (l === line - 1 && genCol <= column - 1) {
        best = { source: map.sources?.[source], line: srcLine + 1, column: srcCol + 1 }
      }
    }
  }
  return best
}

/** The inline source map at the end of a module Vite served, if there is one. */
export function inlineMap(code: string): RawMap | undefined {
  const m = /\/\/# sourceMappingURL=data:application\/json;(?:charset=utf-8;)?base64,([A-Za-z0-9+/=]+)\s*$/.exec(code)
  if (!m) return undefined
  try {
    const json = new TextDecoder().decode(Uint8Array.from(atob(m[1]!), (c) => c.charCodeAt(0)))
    return JSON.parse(json) as RawMap
  } catch {
    return undefined
  }
}
