import { parseSync, Visitor as OxcVisitor } from 'oxc-parser'
import * as vite from 'vite'
import { oxcError } from './oxc-errors.ts'
import type { ESTree } from 'vite'

/**
 * Vite 8 bundles Oxc's parser as `parseAst` (with its `Visitor`): the same AST, and measured 2-3x faster
 * than the `oxc-parser` package's JSON transfer on a 1.6 MB module (65 vs 150-235 ms). Vite 7 has no
 * `Visitor` and a Rollup `parseAst`, so there the package is used.
 */
const bundled = (vite as { Visitor?: unknown }).Visitor !== undefined ? vite : undefined

/**
 * The parser and visitor of the hotclass transform, the same on every Vite version. `parseAst` and
 * `Visitor` from 'vite' are Oxc's in Vite 8, but Rollup's JavaScript-only parser (and no `Visitor` at all)
 * in Vite 7, where importing the transform failed outright. These come from the `oxc-parser` package,
 * the parser Vite 8 bundles, so the transform sees one AST shape whichever Vite runs it.
 */
export const Visitor = (bundled?.Visitor ?? OxcVisitor) as unknown as typeof import('vite').Visitor
// Typed as Vite's own (the same visitor, over the AST types the transform is written against): the
// package's AST types may be a few Oxc releases apart from the ones Vite 8's types name.

/**
 * Parse a JavaScript module into ESTree with `start`/`end` offsets into `code` (what Vite 8's `parseAst`
 * returns). Throws a syntax error shaped as Vite's own Oxc errors, so it is reported with file and line.
 */
export function parseAst(code: string, file = 'module.js'): ESTree.Program {
  if (bundled) return bundled.parseAst(code)
  const result = parseSync(file, code, { lang: 'js', sourceType: 'module', preserveParens: false })
  if (result.errors.length > 0) throw oxcError('Parse', file, code, result.errors)
  return result.program as unknown as ESTree.Program
}
