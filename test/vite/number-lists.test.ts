import { describe, expect, it } from 'vitest'
import { runTransform } from '../../src/vite/transform/index.ts'
import { withoutNumberLists } from '../../src/vite/transform/number-lists.ts'

describe('number lists: the analysis parses a module without the long lists of numbers in it', () => {
  it('cuts a multi-line list of numbers to its first element, every offset and line kept', () => {
    const code = 'const rows = [\n\t1,\n\t-2.5,\n\t0x1f,\n\t1e3,\n\t7n\n];\nf(a[0,\n1]);\n'
    const out = withoutNumberLists(code)
    expect(out.length).toBe(code.length)
    expect(out.split('\n').map((l) => l.length)).toEqual(code.split('\n').map((l) => l.length))
    expect(out.replace(/\s+/g, ' ')).toBe('const rows = [ 1 ]; f(a[0 ]); ')
  })

  it('leaves one-line lists, strings, and lists with anything but numbers as they are', () => {
    const code = [
      'const a = [1, 2, 3];',
      'const s = "[1,\\n2]";',
      'const b = [\n\t1,\n\tx,\n\t3\n];',
      'const c = [\n\tx,\n\t1,\n\t2\n];',
      'const d = [\n\t1,\n\t2..toString()\n];',
      'const e = [\n\t1\n];',
    ].join('\n')
    expect(withoutNumberLists(code)).toBe(code)
  })

  it('keeps module data whole: the emitted code and the hash that tells an edit are the module’s own', () => {
    // The edit is past the first element, in what the analysis does not see.
    const level = (second: number) =>
      `export const LEVEL = [\n\t1,\n\t${second},\n\t3\n];\nexport function at(i) {\n\treturn LEVEL[i];\n}\n`
    const v1 = runTransform('level.js', level(2))!.code
    const v2 = runTransform('level.js', level(9))!.code
    expect(v1).toContain('[\n\t1,\n\t2,\n\t3\n]')
    const hash = (out: string) => /keep\("LEVEL", "([^"]+)"/.exec(out)?.[1]
    expect(hash(v1)).toBeDefined()
    expect(hash(v2)).not.toBe(hash(v1))
  })
})
