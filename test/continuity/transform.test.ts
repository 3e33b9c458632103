import fc from 'fast-check'
import { parseAst, transformWithOxc } from 'vite'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { runTransform } from '../../src/vite/transform/index.ts'
import { harness } from './harness.ts'
import type { Harness } from './harness.ts'

let h: Harness
beforeAll(async () => {
  h = await harness('transform')
})
afterAll(() => h.close())

async function transform(source: string): Promise<string> {
  const { code } = await transformWithOxc(source, 'm.ts', { decorator: { legacy: true, emitDecoratorMetadata: true } })
  return runTransform('src/m.ts', code, { selfAccept: false })?.code ?? code
}

describe('rewriting follows scopes: only references to the top-level binding go through its cell', () => {
  test('parameters, inner declarations, catch bindings and shorthand properties', async () => {
    h.write(
      'scopes.ts',
      `let n = 1
export function param(n: number) { return n }
export function inner() { const n = 5; return n }
export function caught() { try { throw 7 } catch (n) { return n } }
export function shorthand() { return { n } }
export function destructure() { ;({ n } = { n: 40 }); [n] = [n + 2]; return n }
export function label() { n: for (;;) { break n } return n }
export function bump() { return n++ }`,
    )
    const m = await h.load('scopes.ts')
    expect(m.bump()).toBe(1)
    expect(m.param(9)).toBe(9)
    expect(m.inner()).toBe(5)
    expect(m.caught()).toBe(7)
    expect(m.shorthand()).toEqual({ n: 2 })
    expect(m.destructure()).toBe(42)
    expect(m.label()).toBe(42)
  })

  test('static blocks, default parameters, nested functions and catch patterns', async () => {
    h.write(
      'scopes-more.ts',
      `let n = 1
export class Reads { static seen: number; static { const k = n; Reads.seen = k } }
export class Shadows { static seen: number; static { var n = 5; Shadows.seen = n } }
export function fallback(a = n) { const n = 100; return a + n }
export const arrow = (a = n) => { var n = 10; return a + n }
export function nested() { function n() { return 'inner' } return n() }
export function caught() { try { throw { n: 3 } } catch ({ n }) { return n } }
export function bump() { n = n + 1; return n }`,
    )
    const m = await h.load('scopes-more.ts')
    expect([m.Reads.seen, m.Shadows.seen]).toEqual([1, 5])
    expect(m.bump()).toBe(2)
    // A default parameter sees the module's `n`, not the body's: the body has a scope of its own.
    expect(m.fallback()).toBe(102)
    expect(m.arrow()).toBe(12)
    expect(m.nested()).toBe('inner')
    expect(m.caught()).toBe(3)
  })

  test('decorators Oxc leaves in place (non-legacy) read the cell too', () => {
    const out = runTransform(
      'src/m.js',
      `let n = 1\nexport function bump() { n++ }\n@dec(n) class A { @dec(n) x = n; @dec(n) static accessor y = n }`,
      { selfAccept: false },
    )!.code
    expect(out.match(/@dec\(__hcc_n\.v\)/g)).toHaveLength(3)
    expect(out).toContain('x = __hcc_n.v')
    expect(out).toContain('y = __hcc_n.v')
  })

  test('a reassigned function-valued binding is called with `this` undefined, as before', async () => {
    h.write(
      'callee.ts',
      `let f = function (this: unknown) { return this }\nexport function swapF() { f = function (this: unknown) { return this ?? 'none' } }\nexport function call() { return f() }\nexport function tag() { return f\`x\` }`,
    )
    const m = await h.load('callee.ts')
    expect(m.call()).toBeUndefined()
    expect(m.tag()).toBeUndefined()
    m.swapF()
    expect(m.call()).toBe('none')
  })

  test('hoisting survives: a function called before its declaration, in an import cycle', async () => {
    h.write(
      'cycle-a.ts',
      `import { fromB } from './cycle-b.ts'\nexport const early = fromB()\nexport function helper() { return 'a' }`,
    )
    h.write(
      'cycle-b.ts',
      `import { helper } from './cycle-a.ts'\nexport function fromB() { return 'b' }\nexport function viaA() { return helper() }`,
    )
    const a = await h.load('cycle-a.ts')
    const b = await h.load('cycle-b.ts')
    expect(a.early).toBe('b')
    expect(b.viaA()).toBe('a')
  })
})

describe('what the transform leaves alone', () => {
  test('classes (Oxc lowering included) and modules with nothing to keep', async () => {
    const out = await transform(
      `import { reloadable } from 'hotclass'\n@reloadable() export class A { static me = A }\nexport class B {}`,
    )
    expect(out).toMatch(/let A = class A/)
    expect(out).not.toMatch(/keep\("A"|keep\("_A"|cell\("_A"\)/)
    expect(await transform(`import { x } from './x.ts'\nconsole.log(x)`)).not.toContain('__module')
  })

  test('a module whose exports all stay live is swappable (a plain class is kept like a const); a re-export is not', async () => {
    const { code } = await transformWithOxc(
      `export const a = 1\nexport function f() {}\nexport default { x: 1 }`,
      'm.ts',
    )
    expect(runTransform('m.ts', code)?.swappable).toBe(true)
    const plain = (await transformWithOxc(`export const a = 1\nexport class K {}`, 'm.ts')).code
    expect(runTransform('m.ts', plain)?.swappable).toBe(true)
    expect(runTransform('m.ts', plain)?.code).toMatch(/export let K = \S+\.keep\("K", /)
    const re = (await transformWithOxc(`export const a = 1\nexport * from './x.ts'`, 'm.ts')).code
    expect(runTransform('m.ts', re)?.swappable).toBe(false)
  })
})

const statements = [
  'const a = 1',
  'let b = 2, c = [b]',
  'var d = { k: a }',
  'let e',
  'export let f = 3',
  'export const g = (1), hh = g + 1',
  'const { p, q: [r = 1] } = { p: 1, q: [] }',
  'export function fn(x) { b = x; e = { b }; return fn }',
  'function inner() { c = [b, ...c]; d.k++; f += 1; return inner }',
  'b++',
  'for (b of [1, 2]) f = b',
  'export default { z: [1, { y: 2 }] }',
  'if (a) { var nested = b }',
  'label: { break label }',
]
/** The first statements declare every binding the others use. */
const declarations = 7

/**
 * What a module does, as its importer sees it: its exports, what calling each exported function with 7
 * does, and its exports after those calls (live bindings), or the error its evaluation throws.
 */
async function outcome(load: () => Promise<Record<string, unknown>>): Promise<unknown> {
  let m: Record<string, unknown>
  try {
    m = await load()
  } catch (error) {
    return { threw: (error as Error).name }
  }
  const keys = Object.keys(m).toSorted()
  const read = () => keys.map((k) => [k, typeof m[k] === 'function' ? 'function' : m[k]])
  const before = read()
  const calls = keys
    .filter((k) => typeof m[k] === 'function')
    .map((k) => {
      try {
        const result = (m[k] as (x: number) => unknown)(7)
        return typeof result === 'function' ? 'function' : result
      } catch (error) {
        return (error as Error).name
      }
    })
  return { before, calls, after: read() }
}

let fixture = 0

describe('property: any mix of declarations, writes and functions behaves the same after the transform', () => {
  test('exports, live bindings and calls match the untransformed module', async () => {
    await fc.assert(
      // Half the runs declare every binding, so the writes and calls run instead of failing on a missing one.
      fc.asyncProperty(fc.boolean(), fc.subarray(statements, { minLength: 1 }), async (declareAll, picked) => {
        const chosen = declareAll ? statements.filter((s, i) => i < declarations || picked.includes(s)) : picked
        const source = chosen.join('\n')
        const out = await transform(source)
        expect(() => parseAst(out), out).not.toThrow()
        // The original runs as Node runs it; the transformed one through the plugin, as a game does.
        const file = `mix-${++fixture}.ts`
        h.write(file, source)
        const plain = await outcome(
          () => import(/* @vite-ignore */ `data:text/javascript,${encodeURIComponent(source)}`),
        )
        const transformed = await outcome(() => h.load(file))
        expect(transformed, source).toEqual(plain)
      }),
      { numRuns: 60 },
    )
  })
})
