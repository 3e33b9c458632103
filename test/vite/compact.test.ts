import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { transformSync } from 'oxc-transform'
import { describe, expect, test } from 'vitest'
import { COMPACT_LIMIT, compactLines } from '../../src/vite/compact.ts'
import { parseAst } from '../../src/vite/parse.ts'

/**
 * Served modules lose their line breaks (every kept line costs the page 4 bytes per swap for good, see
 * compact.ts), and must mean exactly what they meant: the same AST, positions aside, and a source map
 * that still points at the right line and column.
 */

/** The AST without positions: equal trees mean the same program, literal values included. */
function shape(code: string): unknown {
  return JSON.parse(
    JSON.stringify(parseAst(code), (key, value: unknown) => (key === 'start' || key === 'end' ? undefined : value)),
  )
}

function lines(code: string): number {
  return code.split(/\r\n|\r|\n/).length
}

function compact(code: string): string {
  return compactLines(code, 'm.js')?.code ?? code
}

const tricky: Record<string, string> = {
  'array literal on many lines':
    'export const table = [\n\t1,\n\t2,\n\t3\n];\nexport class A {\n\tm() {\n\t\treturn table;\n\t}\n}\n',
  'template text keeps its breaks': 'const a = `x\n${1 +\n2}\ny`;\nconst b = tag`p\nq`;\n',
  'string line continuation': 'const s = "a\\\nb";\nconst t = \'c\\\r\nd\';\n',
  'line comment ends at its break': 'const a = 1 // one\n+ 2;\n// whole line\nconst b = a;\n',
  'block comment spanning lines': 'const a = 1; /* x\n y */ const b = 2;\n',
  'regex with slashes': 'const r = /\\/\\/ not a comment/g;\nconst q = 4 / 2 / 1;\n',
  'ASI: no semicolons': 'let a = 1\nlet b = a\n++b\nconst c = b\n;[1, 2].forEach((x) => x)\n',
  'ASI: return on its own line': 'function f() {\n\treturn\n\t42\n}\nexport { f }\n',
  'ASI: class fields': 'class C {\n\tx = 1\n\ty = 2\n\tasync\n\tz() {}\n\tget\n\tw() { return 3 }\n}\n',
  'ASI: break with a label': 'outer: for (;;) {\n\tbreak\n\touter\n}\n',
  'ASI: comment between': 'let a = 1 /* c */\nlet b = 2 // d\nlet c = 3 /* e\n*/ let d = 4\n',
  'CRLF line endings': 'const a = [\r\n1,\r\n2\r\n];\r\nexport { a };\r\n',
  hashbang: '#!/usr/bin/env node\nconst a = [\n1\n];\n',
  'unicode before breaks': 'const é = "é";\nconst t = [\n\t"ü",\n\t2\n];\n',
  'division and comments': 'const a = 4\n/ 2;\nconst b = a /* c */ / 1;\n',
  directives: '"use strict"\nconst a = 1\n',
  'do-while without semicolon': 'let i = 0\ndo i++\nwhile (i < 3)\ni\n',
}

describe('compactLines: served code loses its line breaks, not its meaning', () => {
  for (const [name, code] of Object.entries(tricky)) {
    test(name, () => {
      const out = compact(code)
      expect(out.length).toBe(code.length)
      expect(shape(out)).toEqual(shape(code))
    })
  }

  test('a module Oxc prints one array element per line ends up on one line', () => {
    const code = `export const table = [\n${Array.from({ length: 2000 }, (_, i) => `\t${i}`).join(',\n')}\n];\nexport class Unit {\n\ttable() {\n\t\treturn table;\n\t}\n}\n`
    expect(lines(code)).toBe(2008)
    const out = compact(code)
    // The first line keeps its end (see the next test): the rest is one line.
    expect(lines(out)).toBe(2)
    expect(shape(out)).toEqual(shape(code))
  })

  test('lines Vite edits afterwards without a source map end where they ended: the first, imports, import.meta', () => {
    const code = `const a = [\n1\n];\nimport { x } from './x'\nconst b = [\n2\n];\nexport { y } from './y';\nconst c = import('./c').then(\n(m) => m);\nconst u = new URL('./u', import.meta.url\n);\nconst d = [\n3\n];\n`
    const out = compact(code)
    expect(out.split('\n')).toEqual([
      'const a = [',
      "1 ]; import { x } from './x'",
      "const b = [ 2 ]; export { y } from './y';",
      "const c = import('./c').then(",
      "(m) => m); const u = new URL('./u', import.meta.url",
      '); const d = [ 3 ]; ',
    ])
  })

  test('code that does not parse, has no breaks or is over the size limit is left alone', () => {
    expect(compactLines('const = ;\n', 'm.js')).toBeUndefined()
    expect(compactLines('const a = 1;', 'm.js')).toBeUndefined()
    expect(compactLines('const a = [\n1\n];\n'.repeat(COMPACT_LIMIT / 10), 'm.js')).toBeUndefined()
  })

  test('the source map points every token at its old line and column', () => {
    const code = 'const x = 0;\nconst a = [\n\t1,\n\t2\n];\nexport function f() {\n\treturn a;\n}\n'
    const result = compactLines(code, 'm.js')!
    expect(lines(result.code)).toBe(2)
    // `return` (old line 6, column 1) is found on the second line at its new column.
    const second = result.code.split('\n')[1]!
    const at = second.indexOf('return')
    const hit = decodeMappings(result.map.mappings, 1)
      .filter((s) => s.column <= at)
      .at(-1)!
    expect([hit.line, hit.sourceColumn + (at - hit.column)]).toEqual([6, 1])
  })

  // Every module of this repository, stripped of its types: a corpus of real code with comments,
  // templates, regular expressions and classes.
  const root = fileURLToPath(new URL('../..', import.meta.url))
  const corpus = [
    'src/core',
    'src/vite',
    'src/vite/transform',
    'src/client',
    'src/node',
    'src/fleet',
    'demo/entities',
  ].flatMap((dir) =>
    readdirSync(join(root, dir))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(dir, f)),
  )
  test(`${corpus.length} modules of this repository keep their AST`, () => {
    let before = 0
    let after = 0
    for (const file of corpus) {
      const js = transformSync(file, readFileSync(join(root, file), 'utf8'), {
        lang: 'ts',
        sourceType: 'module',
        decorator: { legacy: true },
      }).code
      const out = compact(js)
      expect(shape(out), file).toEqual(shape(js))
      before += lines(js)
      after += lines(out)
    }
    // What stays is the breaks in template text, after line comments and where ASI needs them.
    expect(after).toBeLessThan(before / 5)
  })
})

/** Just enough of a VLQ decoder for one generated line: generated column, source line and column. */
function decodeMappings(
  mappings: string,
  wanted: number,
): Array<{ column: number; line: number; sourceColumn: number }> {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  const out: Array<{ column: number; line: number; sourceColumn: number }> = []
  const state = [0, 0, 0, 0]
  for (const [index, line] of mappings.split(';').entries()) {
    state[0] = 0
    for (const segment of line.split(',')) {
      if (segment === '') continue
      const values: number[] = []
      let value = 0
      let shift = 0
      for (const ch of segment) {
        const digit = alphabet.indexOf(ch)
        value += (digit & 31) << shift
        if (digit & 32) shift += 5
        else {
          values.push(value & 1 ? -(value >> 1) : value >> 1)
          value = 0
          shift = 0
        }
      }
      for (let i = 0; i < values.length && i < 4; i++) state[i]! += values[i]!
      if (index === wanted && values.length >= 4)
        out.push({ column: state[0]!, line: state[2]!, sourceColumn: state[3]! })
    }
  }
  return out
}
