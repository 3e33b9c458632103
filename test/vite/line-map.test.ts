import { decode } from '@jridgewell/sourcemap-codec'
import fc from 'fast-check'
import MagicString from 'magic-string'
import { describe, expect, it } from 'vitest'
import { alignLines } from '../../src/vite/line-align.ts'
import { firstSourceLines, lineMappings } from '../../src/vite/line-map.ts'

describe('line maps: read and written a line at a time', () => {
  it('reads the source line of the first mapped segment on each generated line, like a full decoder', () => {
    const code = ['const a = 1', 'function f() {', '  return a', '}', 'f()'].join('\n')
    const s = new MagicString(code)
    s.prepend('// one\n// two\n')
    s.overwrite(code.indexOf('return a'), code.indexOf('return a') + 8, 'return (\n    a\n  )')
    s.append('\nexport { f }')
    const map = s.generateMap({ hires: true })
    const decoded = decode(map.mappings)
    const expected: number[] = []
    let last = -1
    for (const segments of decoded) {
      const first = segments.find((seg) => seg.length >= 4)
      if (first) last = first[2]!
      expected.push(last)
    }
    expect([...firstSourceLines(map.mappings, decoded.length)]).toEqual(expected)
  })

  it('writes one segment per line at column 0, after the wrapper lines, and none for a line with no source', () => {
    const mappings = lineMappings(Int32Array.from([0, 0, 4, -1, 2, 300]), 2)
    expect(decode(mappings)).toEqual([
      [],
      [],
      [[0, 0, 0, 0]],
      [[0, 0, 0, 0]],
      [[0, 0, 4, 0]],
      [],
      [[0, 0, 2, 0]],
      [[0, 0, 300, 0]],
    ])
  })
})

/** An edit a transform makes to a module, by line: what Vite's SSR transform and hotclass's do. */
type Edit =
  | { kind: 'insert'; at: number; lines: number }
  | { kind: 'rewrite'; at: number }
  | { kind: 'remove'; at: number }
  | { kind: 'split'; at: number }

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), lines: fc.integer({ min: 1, max: 300 }) }),
  fc.record({ kind: fc.constant('rewrite' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('split' as const), at: fc.nat() }),
)

describe('line alignment: each transformed line finds the line it came from', () => {
  it('pairs untouched lines with their own lines once three agree, and every line with a line of the original', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.array(edit, { maxLength: 12 }), (count, edits) => {
        // Original lines are distinct, as a module's lines mostly are; `from` tracks where each came from.
        let lines = Array.from({ length: count }, (_, i) => ({ text: `\tline ${i} = [${i * 7}, ${i * 13}];`, from: i }))
        for (const e of edits) {
          const at = e.at % (lines.length + 1)
          const near = Math.min(at, lines.length - 1)
          if (e.kind === 'insert') {
            const inserted = Array.from({ length: e.lines }, (_, k) => ({
              text: `const __inserted_${at}_${k} = 0;`,
              from: -1,
            }))
            lines = [...lines.slice(0, at), ...inserted, ...lines.slice(at)]
          } else if (lines.length > 1 && at < lines.length) {
            const line = lines[near]!
            if (e.kind === 'rewrite') lines[near] = { text: `${line.text} // rewritten`, from: -1 }
            if (e.kind === 'remove') lines.splice(near, 1)
            if (e.kind === 'split') lines.splice(near, 1, { text: `${line.text} (`, from: -1 }, { text: ')', from: -1 })
          }
        }
        const original = Array.from({ length: count }, (_, i) => `\tline ${i} = [${i * 7}, ${i * 13}];`).join('\n')
        const edited = lines.map((l) => l.text).join('\n')
        const found = alignLines(edited, original)
        expect(found.length).toBe(lines.length)
        lines.forEach((line, i) => {
          // Three untouched lines in their original order put the two texts back in step.
          const run = [0, 1, 2].every((t) => lines[i + t] !== undefined && lines[i + t]!.from === line.from + t)
          if (line.from >= 0 && run)
            expect(found.slice(i, i + 3)).toEqual(Int32Array.from([0, 1, 2], (t) => line.from + t))
          expect(found[i]).toBeGreaterThanOrEqual(0)
          expect(found[i]).toBeLessThan(count)
        })
      }),
      { numRuns: 200 },
    )
  })

  it('stays in step past a prelude of thousands of inserted lines and lines hoisted to the top', () => {
    const original = Array.from({ length: 5000 }, (_, i) => `row${i}() { return [${i}, ${i + 1}] }`)
    const prelude = Array.from({ length: 3000 }, (_, i) => `const __hcf_${i} = __hcm.fn("f${i}");`)
    const edited = [
      ...prelude,
      'const __vite_ssr_import_0__ = await __vite_ssr_import__("hotclass");',
      '',
      ...original.slice(1),
    ]
    const found = alignLines(edited.join('\n'), original.join('\n'))
    for (let i = 1; i < original.length; i++) expect(found[prelude.length + 1 + i]).toBe(i)
  })

  it('costs a bounded amount when the two texts have nothing in common', () => {
    const original = Array.from({ length: 20000 }, (_, i) => `a${i}`).join('\n')
    const edited = Array.from({ length: 20000 }, (_, i) => `b${i}`).join('\n')
    const found = alignLines(edited, original)
    // Nothing is in step: lines are paired in order, each with a line of the original.
    expect(found.every((line, i) => line === Math.min(i, 19999))).toBe(true)
  })
})
