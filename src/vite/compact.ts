import MagicString from 'magic-string'
import type { SourceMap } from 'magic-string'
import { parseAst } from './parse.ts'

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
 * Returns undefined when nothing would change or the code does not parse (it is then served as it was).
 */
export function compactLines(code: string, file: string): { code: string; map: SourceMap } | undefined {
  if (!/[\n\r]/.test(code)) return undefined
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

  const s = new MagicString(code)
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
      for (let j = i + 2; j < end; j++) if (isBreak(code.charCodeAt(j)) && !keep.has(j)) s.update(j, j + 1, ' ')
      i = end + 1
      continue
    }
    if ((c === LF || c === CR) && !keep.has(i)) s.update(i, i + 1, ' ')
  }
  if (!s.hasChanged()) return undefined
  return { code: s.toString(), map: s.generateMap({ hires: 'boundary', source: file, includeContent: false }) }
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
