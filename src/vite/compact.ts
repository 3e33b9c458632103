import { parseAst } from './parse.ts'
import { vlq } from '../client/vlq.ts'

/**
 * Compacting parses the module a second time (1.3x an Oxc parse, measured: 0.5 s for 0.9 MB on a shared
 * 2-core machine), which a multi-megabyte generated module cannot afford on every save (issue 12: a 4 MB
 * module swaps in 2 s). Above this size a module is served as Vite printed it.
 */
export const COMPACT_LIMIT = 1_000_000

/** A version 3 source map from the compacted code to the code it was given. */
export interface CompactMap {
  version: 3
  sources: string[]
  names: string[]
  mappings: string
}

/**
 * Serve a module on as few lines as its syntax allows.
 *
 * Measured (bench/browser-memory.mjs, Chromium): a module that has a static `import` keeps 4 bytes per
 * line of its served code for as long as the page lives, because Blink asks V8 for the line and column of
 * each import (for error messages) and V8 then builds and keeps the script's line-end table. A swap imports
 * a new `?t=` version that the browser never evicts, so every swap paid that again: 8 KB per swap for a
 * module Oxc prints on 2,020 lines (an array literal gets one line per element), the bulk of what a swap
 * cost. On one line it is a few bytes.
 *
 * Every line break becomes a space, so offsets do not move and the source map stays exact per column,
 * except the breaks that carry meaning: inside string and template literals (their value), at the end
 * of a line comment, and after a statement or class field that ends without `;` (automatic semicolon
 * insertion depends on that break; keeping a break is always safe).
 *
 * Returns undefined when nothing would change, the code does not parse or is over `COMPACT_LIMIT` (it is
 * then served as it was).
 */
export function compactLines(code: string, file: string): { code: string; map: CompactMap } | undefined {
  if (code.length > COMPACT_LIMIT || !/[\n\r]/.test(code)) return undefined
  let program
  try {
    program = parseAst(code, file)
  } catch {
    return undefined
  }
  const { literals, statementEnds, rewritten } = scan(program)
  const keep = new Set<number>()
  for (const end of statementEnds) {
    if (code.charCodeAt(end - 1) === SEMICOLON) continue
    const at = nextBreak(code, end)
    if (at >= 0) keep.add(at)
  }
  // Vite's import analysis runs after this and edits the code without a source map in development
  // (`map: null`): it prepends to the first line and rewrites import specifiers. It relies on those edits
  // moving only the rest of their own line, so each such line ends where it ended before.
  for (const end of [0, ...rewritten]) {
    let at = end
    while (at < code.length && !isBreak(code.charCodeAt(at))) at++
    if (at < code.length) keep.add(code.charCodeAt(at) === CR && code.charCodeAt(at + 1) === LF ? at + 1 : at)
  }

  const joined: number[] = []
  const join = (at: number) => {
    if (!keep.has(at)) joined.push(at)
  }
  let literal = 0
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i)
    // Skip literals whole: their breaks (template text, `\` line continuations) are part of the value.
    while (literal < literals.length && literals[literal]![1] <= i) literal++
    const inside = literals[literal]
    if (inside && inside[0] <= i) {
      i = inside[1] - 1
      continue
    }
    if ((c === SLASH && code.charCodeAt(i + 1) === SLASH) || (i === 0 && code.startsWith('#!'))) {
      // A line comment (a `//` outside every literal cannot be two divisions) or a hashbang: its break ends it.
      while (i < code.length && !isLineTerminator(code.charCodeAt(i))) i++
      if (code.charCodeAt(i) === CR && code.charCodeAt(i + 1) === LF) i++
      continue
    }
    if (c === SLASH && code.charCodeAt(i + 1) === STAR) {
      const end = code.indexOf('*/', i + 2)
      if (end < 0) break
      for (let j = i + 2; j < end; j++) if (isBreak(code.charCodeAt(j))) join(j)
      i = end + 1
      continue
    }
    if (c === LF || c === CR) join(i)
  }
  if (joined.length === 0) return undefined
  const parts: string[] = []
  let from = 0
  for (const at of joined) {
    parts.push(code.slice(from, at), ' ')
    from = at + 1
  }
  parts.push(code.slice(from))
  const out = parts.join('')
  return { code: out, map: { version: 3, sources: [file], names: [], mappings: mappings(code, out) } }
}

/**
 * Offsets do not move, so every old position maps to itself on the new line. One segment at the start of
 * each old line and at each word boundary, as magic-string's `hires: 'boundary'` would, in one pass.
 */
function mappings(before: string, after: string): string {
  const lines: string[] = []
  let segments: string[] = []
  let genCol = 0
  let lastGenCol = 0
  let srcLine = 0
  let srcCol = 0
  let lastSrcLine = 0
  let lastSrcCol = 0
  let lineStart = true
  for (let i = 0; i < before.length; i++) {
    const c = before.charCodeAt(i)
    if (isBreak(c) && !(c === CR && before.charCodeAt(i + 1) === LF)) {
      srcLine++
      srcCol = 0
      lineStart = true
      if (isBreak(after.charCodeAt(i))) {
        lines.push(segments.join(','))
        segments = []
        genCol = 0
        lastGenCol = 0
      } else genCol++
      continue
    }
    if (isBreak(c)) {
      // The CR of a CRLF: the LF that follows ends the line.
      if (!isBreak(after.charCodeAt(i))) genCol++
      continue
    }
    const word = isWord(c)
    if (c !== 32 && c !== 9 && (lineStart || !word || !isWord(before.charCodeAt(i - 1)))) {
      segments.push(vlq(genCol - lastGenCol) + vlq(0) + vlq(srcLine - lastSrcLine) + vlq(srcCol - lastSrcCol))
      lastGenCol = genCol
      lastSrcLine = srcLine
      lastSrcCol = srcCol
      lineStart = false
    }
    genCol++
    srcCol++
  }
  lines.push(segments.join(','))
  return lines.join(';')
}

function isWord(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c > 127
}

const LF = 10
const CR = 13
const SLASH = 47
const STAR = 42
const SEMICOLON = 59

function isBreak(c: number): boolean {
  return c === LF || c === CR
}

function isLineTerminator(c: number): boolean {
  return c === LF || c === CR || c === 0x2028 || c === 0x2029
}

/** The first line break at or after `from`, skipping the spaces, tabs and block comments between. */
function nextBreak(code: string, from: number): number {
  for (let i = from; i < code.length; i++) {
    const c = code.charCodeAt(i)
    if (isBreak(c)) return c === CR && code.charCodeAt(i + 1) === LF ? i + 1 : i
    if (c === SLASH && code.charCodeAt(i + 1) === STAR) {
      const end = code.indexOf('*/', i + 2)
      if (end < 0) return -1
      // A block comment that spans lines is itself a line terminator for ASI: keep its first break.
      for (let j = i + 2; j < end; j++) if (isBreak(code.charCodeAt(j))) return j
      i = end + 1
      continue
    }
    // A line comment ends at a break that compactLines keeps anyway.
    if (c !== 32 && c !== 9) return -1
  }
  return -1
}

/**
 * Statements and class members the grammar ends with `;`: one that ends without it was closed by
 * automatic semicolon insertion (or by a restricted production, `return` / `x` on two lines).
 */
const endsWithSemicolon = new Set([
  'ExpressionStatement',
  'VariableDeclaration',
  'ReturnStatement',
  'ThrowStatement',
  'BreakStatement',
  'ContinueStatement',
  'DebuggerStatement',
  'DoWhileStatement',
  'ImportDeclaration',
  'ExportNamedDeclaration',
  'ExportAllDeclaration',
  'ExportDefaultDeclaration',
  'PropertyDefinition',
  'AccessorProperty',
])

/** `export class`, `export function`, `export default class`: the declaration inside ends the statement. */
function declares(node: Record<string, unknown>): boolean {
  const declaration = node['declaration'] as { type?: string } | null | undefined
  if (!declaration) return false
  return node['type'] === 'ExportNamedDeclaration' || /^(Class|Function)Declaration$/.test(declaration.type ?? '')
}

function rewrites(node: Record<string, unknown>): boolean {
  switch (node['type']) {
    case 'ImportDeclaration':
    case 'ImportExpression':
    case 'ExportAllDeclaration':
      return true
    case 'ExportNamedDeclaration':
      return node['source'] != null
    case 'MetaProperty':
      return (node['meta'] as { name?: string } | undefined)?.name === 'import'
    default:
      return false
  }
}

interface Node {
  type: string
  start: number
  end: number
}

/**
 * String, regular expression, template-text and JSX-text ranges (sorted, disjoint), where statements end,
 * and where the code Vite rewrites later ends (imports with a specifier, `import()`, `import.meta`).
 */
function scan(program: unknown): {
  literals: Array<[number, number]>
  statementEnds: number[]
  rewritten: number[]
} {
  const literals: Array<[number, number]> = []
  const statementEnds: number[] = []
  const rewritten: number[] = []
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item)
      return
    }
    if (typeof value !== 'object' || value === null) return
    const node = value as Partial<Node> & Record<string, unknown>
    if (typeof node.type === 'string' && typeof node.start === 'number' && typeof node.end === 'number') {
      if (node.type === 'TemplateElement' || node.type === 'JSXText' || node.type === 'Literal') {
        literals.push([node.start, node.end])
        return
      }
      if (endsWithSemicolon.has(node.type) && !declares(node)) statementEnds.push(node.end)
      if (rewrites(node)) rewritten.push(node.end)
    }
    for (const key in node) if (key !== 'type') visit(node[key])
  }
  visit(program)
  literals.sort((a, b) => a[0] - b[0])
  return { literals, statementEnds, rewritten }
}
