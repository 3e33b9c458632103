import { request } from 'node:http'
import { join, resolve } from 'node:path'
import { createServer } from 'vite'
import type { ViteDevServer } from 'vite'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ErrorCodes } from '../../src/index.ts'
import { EVALUATE_HEADER, RUNNER_PARAMS } from '../../src/client/evaluable-form.ts'
import { inlineMap, originalPosition } from '../../src/client/source-map.ts'
import { unknownRunnerName } from '../../src/vite/evaluable.ts'
import { hotclass } from '../../src/vite/index.ts'
import type { HotclassPluginOptions } from '../../src/vite/index.ts'
import { resolveOptions } from '../../src/vite/options.ts'
import { folder } from '../helpers/folder.ts'
import type { Folder } from '../helpers/folder.ts'

/**
 * The dev server's half of evaluating swapped versions as functions (src/vite/evaluable.ts): what it
 * serves under `/@hotclass/evaluable/`, and what it refuses. The page's half runs in Chromium
 * (test/e2e/evaluate-function.test.ts).
 */

const repo = resolve(import.meta.dirname, '../..')

// Line 7 holds the throw the source map must find again.
const unitTs = `import { reloadable } from 'hotclass'
import { scale } from './dep.ts'
let hits = 0
@reloadable()
export class Unit {
  hit(): number {
    if (scale < 0) throw new Error('negative scale')
    return (hits += scale)
  }
}
`

interface Served {
  server: ViteDevServer
  files: Folder
  get(path: string): Promise<Response>
  /** The status for a path sent as written (fetch would resolve `..` first). */
  raw(path: string): Promise<number>
}

async function serve(options: Partial<HotclassPluginOptions> = {}): Promise<Served> {
  const files = folder('evaluable')
  files.write('index.html', '<!doctype html><script type="module" src="/unit.ts"></script>')
  files.write('unit.ts', unitTs)
  files.write('dep.ts', 'export const scale = 1\n')
  files.write('reexport.ts', "export * from './dep.ts'\nexport default 3\n")
  files.write('broken.ts', 'export const x = (\n')
  files.write('notes.txt', 'not a module\n')
  const server = await createServer({
    configFile: false,
    root: files.dir,
    logLevel: 'silent',
    plugins: [hotclass(options)],
    server: { port: 0, host: '127.0.0.1', watch: null },
    optimizeDeps: { noDiscovery: true, include: ['debug'] },
    cacheDir: join(repo, 'test/.tmp/vite-cache-e2e'),
  })
  await server.listen()
  const address = server.httpServer?.address()
  if (!address || typeof address === 'string') throw new Error('dev server has no port')
  const origin = `http://127.0.0.1:${address.port}`
  const raw = (path: string) =>
    new Promise<number>((done, fail) => {
      const req = request({ host: '127.0.0.1', port: address.port, path }, (res) => {
        res.resume()
        done(res.statusCode ?? 0)
      })
      req.on('error', fail)
      req.end()
    })
  return { server, files, get: (path) => fetch(`${origin}${path}`), raw }
}

describe('a swapped version as a function body: the module runner form of exactly what the page imports', () => {
  let s: Served
  let body: string
  beforeAll(async () => {
    s = await serve({ evaluate: 'function' })
    const res = await s.get('/@hotclass/evaluable/unit.ts?t=1700000000000')
    expect(res.status).toBe(200)
    expect(res.headers.get(EVALUATE_HEADER)).toBe('function')
    body = await res.text()
  })
  afterAll(async () => {
    await s?.server.close()
    s?.files.cleanup()
  })

  test('imports, exports and import.meta go through the names the page passes in; no module syntax is left', () => {
    expect(body).toMatch(/^"use strict";\n/)
    expect(body).toContain('__vite_ssr_import__("/dep.ts"')
    expect(body).toContain('__vite_ssr_exportName__("Unit"')
    // hotclass's own transform is in it (the class opens through the core) and Vite's HMR context too.
    expect(body).toContain('__class')
    expect(body).toContain('createHotContext')
    expect(body).not.toMatch(/^\s*(import|export)\s/m)
    expect(body).not.toContain('import.meta')
    expect(unknownRunnerName(body)).toBeUndefined()
  })

  test('re-exports and default exports too', async () => {
    const reexport = await (await s.get('/@hotclass/evaluable/reexport.ts?t=1')).text()
    expect(reexport).toContain('__vite_ssr_exportAll__(')
    expect(reexport).toContain('__vite_ssr_exportName__("default"')
  })

  test('it compiles as an async function taking those names', () => {
    const AsyncFunction = async function () {}.constructor as new (...args: string[]) => unknown
    expect(() => new AsyncFunction(...RUNNER_PARAMS, body)).not.toThrow()
  })

  test('its inline source map, shifted by the function header, leads back to the TypeScript line', () => {
    const map = inlineMap(body)
    expect(map?.sources).toEqual(['unit.ts'])
    // new AsyncFunction puts two lines ahead of the body: generated line = body line + 2.
    const lines = body.split('\n')
    const at = lines.findIndex((l) => l.includes('negative scale'))
    expect(at).toBeGreaterThan(0)
    const column = lines[at]!.indexOf('throw new Error') + 1
    expect(column).toBeGreaterThan(0)
    expect(originalPosition(map!, at + 1 + 2, column)?.line).toBe(7)
  })

  test('the same version is rewritten once: a second request gets the same text', async () => {
    const again = await (await s.get('/@hotclass/evaluable/unit.ts?t=1700000000001')).text()
    expect(again).toBe(body)
  })

  test('only the project’s own script files: anything else is a 404 and the server goes on', async () => {
    for (const path of [
      '/@hotclass/evaluable/missing.ts',
      '/@hotclass/evaluable/notes.txt',
      '/@hotclass/evaluable/../package.json',
      '/@hotclass/evaluable/%2e%2e/%2e%2e/etc/passwd',
      '/@hotclass/evaluable//etc/passwd',
      '/@hotclass/evaluable/node_modules/debug/src/index.js',
      '/@hotclass/evaluable/@fs/etc/passwd',
      '/@hotclass/evaluable/%E0%A4%A',
    ]) {
      expect(await s.raw(path), path).toBe(404)
    }
    expect((await s.get('/@hotclass/evaluable/dep.ts')).status).toBe(200)
  })

  test('a module that does not transform is a 500 carrying the problem, with file and line', async () => {
    const res = await s.get('/@hotclass/evaluable/broken.ts?t=1')
    expect(res.status).toBe(500)
    const problem = (await res.json()) as { id: string; file: string; line?: number; message: string }
    expect(problem).toMatchObject({ id: 'broken.ts', file: 'broken.ts' })
    expect(problem.line).toBeGreaterThanOrEqual(1)
  })
})

describe("evaluate: 'module' — the page is told to import modules", () => {
  test('the server answers 204 with the header and no code', async () => {
    const s = await serve({ evaluate: 'module' })
    try {
      const res = await s.get('/@hotclass/evaluable/unit.ts?t=1')
      expect(res.status).toBe(204)
      expect(res.headers.get(EVALUATE_HEADER)).toBe('module')
      expect(await res.text()).toBe('')
    } finally {
      await s.server.close()
      s.files.cleanup()
    }
  })

  test('any other value is refused with a coded error naming the choices', () => {
    expect(() => resolveOptions({ evaluate: 'eval' as never })).toThrow(
      expect.objectContaining({
        code: ErrorCodes.BAD_ARGUMENT,
        message: expect.stringContaining("'function' or 'module'"),
      }),
    )
  })
})

describe('a Vite that renamed a runner name would fail every evaluation: the server notices', () => {
  test('unknown __vite_ssr_*__ names are named; the runner’s own locals are not', () => {
    expect(
      unknownRunnerName('const __vite_ssr_import_0__ = await __vite_ssr_import__("/a.ts"); __vite_ssr_import_0__.x'),
    ).toBeUndefined()
    expect(unknownRunnerName('const __vite_ssr_export_default__ = 1')).toBeUndefined()
    expect(unknownRunnerName('__vite_ssr_exportNames__("a", () => a)')).toBe('__vite_ssr_exportNames__')
  })
})
