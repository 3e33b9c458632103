import { describe, expect, test } from 'vitest'
import { stripJsonc } from '../../src/vite/tsconfig.ts'

describe("tsconfig's JSONC is read as TypeScript reads it", () => {
  test('comments and trailing commas go; strings that look like them stay', () => {
    const cases: Array<[string, unknown]> = [
      [
        `{ "a": 1, // c\n "b": [1, 2,], /* x */ "c": "//not, a comment,}" , }`,
        { a: 1, b: [1, 2], c: '//not, a comment,}' },
      ],
      [`{"s": "q\\"uo,te", "n": {"m": [ ], }, }`, { s: 'q"uo,te', n: { m: [] } }],
      [
        `{ "compilerOptions": { "experimentalDecorators": true, /* a, */ }, // trailing\n}`,
        { compilerOptions: { experimentalDecorators: true } },
      ],
    ]
    for (const [text, want] of cases) expect(JSON.parse(stripJsonc(text)), text).toEqual(want)
  })
})
