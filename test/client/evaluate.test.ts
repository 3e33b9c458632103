import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { createEvaluator } from '../../src/client/evaluate.ts'
import type { FunctionEvaluator } from '../../src/client/evaluate.ts'
import { EVALUATE_HEADER } from '../../src/client/evaluable-form.ts'

/**
 * The page's half of evaluating swapped versions as functions (src/client/evaluate.ts), with the dev
 * server's answers written by hand in the module runner's form. Chromium runs the real thing
 * (test/e2e/evaluate-function.test.ts).
 */

const root = 'http://game.test/'
const href = (name: string, t = 1) => `${root}${name}.ts?t=${t}`

/** Evaluations the bodies record, in order. */
const evals: string[] = []
declare global {
  var evaluateTestLog: string[] | undefined
}

/** A module body in the runner's form: records its evaluation, imports `deps`, exports `name` and `url`. */
function body(name: string, deps: string[] = []): string {
  const imports = deps.map(
    (d, i) => `const __vite_ssr_import_${i}__ = await __vite_ssr_import__(${JSON.stringify(d)});`,
  )
  const seen = deps.map((_, i) => `__vite_ssr_import_${i}__.name`).join(' + "," + ') || '""'
  return `"use strict";
__vite_ssr_exportName__("name", () => { try { return name } catch {} });
__vite_ssr_exportName__("seen", () => { try { return seen } catch {} });
__vite_ssr_exportName__("url", () => { try { return url } catch {} });
globalThis.evaluateTestLog.push(${JSON.stringify(name)});
${imports.join('\n')}
const name = ${JSON.stringify(name)};
const seen = ${seen};
const url = __vite_ssr_import_meta__.url;
`
}

interface Served {
  status?: number
  headers?: Record<string, string>
  text: string
}

function serve(routes: Record<string, Served>): { fetched: string[] } {
  const fetched: string[] = []
  vi.stubGlobal('fetch', (url: string) => {
    fetched.push(url)
    const path = url.slice(`${root}@hotclass/evaluable/`.length)
    const r = routes[path] ?? { status: 404, text: 'not found' }
    return Promise.resolve(
      new Response(r.status === 204 ? null : r.text, { status: r.status ?? 200, headers: r.headers ?? {} }),
    )
  })
  return { fetched }
}

function evaluator(pending: string[]): FunctionEvaluator {
  return createEvaluator({ root, isSwapVersion: (h) => pending.includes(h) })
}

beforeEach(() => {
  evals.length = 0
  globalThis.evaluateTestLog = evals
})
afterEach(() => {
  vi.unstubAllGlobals()
  globalThis.evaluateTestLog = undefined
})

describe('one swap: each version evaluated once, imports between them resolved to each other', () => {
  test('a version importing another pending version evaluates it first, and the swap gets that same evaluation', async () => {
    serve({ 'a.ts?t=1': { text: body('a') }, 'b.ts?t=1': { text: body('b', ['/a.ts?t=1']) } })
    const e = evaluator([href('a'), href('b')])
    const b = (await e.evaluate(href('b'))) as Record<string, unknown>
    const a = (await e.evaluate(href('a'))) as Record<string, unknown>
    expect(evals).toEqual(['b', 'a'])
    expect(b['seen']).toBe('a')
    expect(a['url']).toBe(href('a'))
    expect(Object.prototype.toString.call(a)).toBe('[object Module]')
    expect(Object.isSealed(a)).toBe(true)
  })

  test('an import cycle between two versions ends: the second sees the first’s exports so far', async () => {
    serve({ 'a.ts?t=1': { text: body('a', ['/b.ts?t=1']) }, 'b.ts?t=1': { text: body('b', ['/a.ts?t=1']) } })
    const e = evaluator([href('a'), href('b')])
    const a = (await e.evaluate(href('a'))) as Record<string, unknown>
    expect(evals).toEqual(['a', 'b'])
    expect(a['seen']).toBe('b')
  })
})

describe('after a swap: committed versions are what later imports of the module get, failed ones are dropped', () => {
  test('committed: a later version importing the module’s (older) URL gets the committed exports, nothing refetched', async () => {
    const { fetched } = serve({ 'a.ts?t=1': { text: body('a') }, 'c.ts?t=2': { text: body('c', ['/a.ts?t=0']) } })
    const pending = [href('a')]
    const e = evaluator(pending)
    await e.evaluate(href('a'))
    e.settle(true)
    pending.splice(0, 1, href('c', 2))
    const c = (await e.evaluate(href('c', 2))) as Record<string, unknown>
    expect(c['seen']).toBe('a')
    expect(evals).toEqual(['a', 'c'])
    expect(fetched).toHaveLength(2)
  })

  test('not committed: the same version asked for again is evaluated again', async () => {
    serve({ 'a.ts?t=1': { text: body('a') } })
    const e = evaluator([href('a')])
    await e.evaluate(href('a'))
    e.settle(false)
    await e.evaluate(href('a'))
    expect(evals).toEqual(['a', 'a'])
  })

  test('a prepared version is fetched once and evaluated only when the swap asks; a superseded one is let go', async () => {
    const { fetched } = serve({ 'a.ts?t=1': { text: body('a') }, 'a.ts?t=2': { text: body('a2') } })
    const e = evaluator([href('a'), href('a', 2)])
    expect(await e.prepare(href('a'))).toBe(true)
    expect(await e.prepare(href('a', 2))).toBe(true)
    expect(evals).toEqual([])
    e.keepPrepared(new Set([href('a', 2)]))
    await e.evaluate(href('a', 2))
    expect(evals).toEqual(['a2'])
    expect(fetched).toHaveLength(2)
  })
})

describe('what the server answers instead of code', () => {
  test("evaluate: 'module' turns the function path off for the page: the caller imports modules", async () => {
    const { fetched } = serve({ 'a.ts?t=1': { status: 204, headers: { [EVALUATE_HEADER]: 'module' }, text: '' } })
    const e = evaluator([href('a')])
    expect(await e.evaluate(href('a'))).toBeUndefined()
    expect(e.active).toBe(false)
    expect(await e.prepare(href('a', 2))).toBe(false)
    expect(fetched).toHaveLength(1)
  })

  test('a 404 is a not-found error; a 500 carries the problem’s file and line', async () => {
    const problem = { id: 'b.ts', file: 'b.ts', line: 3, column: 5, message: 'Unexpected token' }
    serve({
      'b.ts?t=1': { status: 500, headers: { 'content-type': 'application/json' }, text: JSON.stringify(problem) },
    })
    const e = evaluator([])
    await expect(e.evaluate(href('missing'))).rejects.toMatchObject({ code: 'ERR_MODULE_NOT_FOUND' })
    await expect(e.evaluate(href('b'))).rejects.toMatchObject({ loc: { file: 'b.ts', line: 3, column: 5 } })
  })
})
