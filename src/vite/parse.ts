import { parseSync, Visitor } from 'oxc-parser'
import type { OxcError } from 'oxc-parser'
import type { ESTree } from 'vite'

/**
 * The parser and visitor of the hotclass transform, the same on every Vite version. `parseAst` and
 * `Visitor` from 'vite' are Oxc's in Vite 8, but Rollup's JavaScript-only parser (and no `Visitor` at all)
 * in Vite 7, where importing the transform failed outright. These come from the `oxc-parser` package,
 * the parser Vite 8 bundles, so the transform sees one AST shape whichever Vite runs it.
 */
export { Visitor }

/**
 * Parse a JavaScript module into ESTree with `start`/`end` offsets into `code` (what Vite 8's `parseAst`
 * returns). Throws a syntax error carrying `loc` and `frame`, as Vite's errors do, so the plugin reports it
 * with file and line.
 */
export function parseAst(code: string, file = 'module.js'): ESTree.Program {
  const result = parseSync(file, code, { lang: 'js', sourceType: 'module', preserveParens: false })
  const [first]: Array<OxcError | undefined> = result.errors
  if (!first) return result.program as unknown as ESTree.Program
  const at = first.labels[0]?.start ?? 0
  const before = code.slice(0, at).split('\n')
  const error = new SyntaxError(
    `Parse failed: ${first.message}${first.codeframe ? `\n${first.codeframe}` : ''}`,
  ) as SyntaxError & {
    code: string
    loc: { file: string; line: number; column: number }
    frame?: string
  }
  error.code = 'PARSE_ERROR'
  error.loc = { file, line: before.length, column: before.at(-1)!.length }
  if (first.codeframe) error.frame = first.codeframe
  throw error
}
