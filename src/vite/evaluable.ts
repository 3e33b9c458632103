import { readFile } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import * as vite from 'vite'
import type { DevEnvironment, TransformResult, ViteDevServer } from 'vite'
import { logger } from '../core/env.ts'
import { EVALUABLE_PADDING_LINES, EVALUABLE_PATH, EVALUATE_HEADER, RUNNER_PARAMS } from '../client/evaluable-form.ts'
import type { HotclassPluginOptions } from './options.ts'
import { problemOf, toId } from './problems.ts'

const log = logger('vite')

const scriptFile = /\.[cm]?[jt]sx?$/

/** What `moduleRunnerTransform` returns (Vite 6+ exports it; its type is Vite's own TransformResult). */
type RunnerTransform = (
  code: string,
  map: TransformResult['map'],
  url: string,
  originalCode: string,
) => Promise<{ code: string; map: unknown } | null>

/**
 * Vite exports its module runner's transform as `moduleRunnerTransform` (Vite 6 and later). Read
 * through the namespace so a Vite without it still loads the plugin: the page is then told to import
 * modules (`evaluate: 'module'`).
 */
const runnerTransform = (vite as unknown as { moduleRunnerTransform?: RunnerTransform }).moduleRunnerTransform

/**
 * The swapped version of a module in a form the page evaluates with `new AsyncFunction(...)`, outside the
 * browser's module map, so that a version the core no longer holds can be collected (issue 12: a page
 * keeps every module record it ever imported, 2.3 KB and more per swap).
 *
 * The code is exactly what the page would import (the client environment's transform, hotclass's own
 * included, with Vite's import analysis), rewritten the way Vite's module runner rewrites a module:
 * imports become `await __vite_ssr_import__(url)`, exports `__vite_ssr_exportName__(name, getter)`,
 * `import.meta` becomes `__vite_ssr_import_meta__` (src/client/evaluate.ts supplies all of them).
 * Its source map (mappings shifted by the lines `new AsyncFunction` puts ahead of the body) is inline, so
 * devtools and the overlay's code frames name the user's file and line.
 */
export class EvaluableServer {
  /** One rewrite per transform result: Vite keeps the result object while the module is unchanged. */
  private readonly cache = new WeakMap<TransformResult, Promise<string>>()

  constructor(
    private readonly server: Pick<ViteDevServer, 'config'>,
    private readonly env: DevEnvironment,
    private readonly options: Readonly<HotclassPluginOptions>,
  ) {}

  /** The middleware: answers `<base>@hotclass/evaluable/<module url>` and passes everything else on. */
  handle = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void => {
    const prefix = `${this.env.config.base}${EVALUABLE_PATH}`
    const raw = req.url
    if (req.method !== 'GET' || !raw?.startsWith(prefix)) {
      next()
      return
    }
    this.respond(raw.slice(prefix.length - 1), res).catch((error: unknown) => {
      // Never the dev server's end: whatever went wrong is this one request's answer.
      log('evaluable form of %s failed: %O', raw, error)
      if (!res.headersSent) send(res, 500, 'text/plain', 'hotclass could not build this module')
    })
  }

  private async respond(url: string, res: ServerResponse): Promise<void> {
    if (this.options.evaluate === 'module' || !runnerTransform) {
      res.setHeader(EVALUATE_HEADER, 'module')
      send(res, 204, 'text/plain', '')
      return
    }
    const path = cleanUrl(url)
    const file = path && (await this.projectFile(path))
    if (!path || !file) {
      send(res, 404, 'text/plain', `${url} is not a module of this project`)
      return
    }
    let result: TransformResult | null
    try {
      result = await this.env.transformRequest(path)
    } catch (error) {
      const problem = problemOf(error, toId(file, this.env.config.root), this.env.config.root)
      send(res, 500, 'application/json', JSON.stringify(problem))
      return
    }
    if (!result) {
      send(res, 404, 'text/plain', `${url} is not served by the dev server`)
      return
    }
    let body = this.cache.get(result)
    if (!body) {
      body = this.rewrite(result, path, file)
      this.cache.set(result, body)
      body.catch(() => this.cache.delete(result))
    }
    res.setHeader(EVALUATE_HEADER, 'function')
    send(res, 200, 'text/javascript', await body)
  }

  /** A root-relative module path the page may ask for: a script file of the project, served by Vite's rules. */
  private async projectFile(path: string): Promise<string | undefined> {
    const resolved = await this.env.pluginContainer.resolveId(path, undefined)
    const file = resolved && !resolved.external ? resolved.id.replace(/[?#].*$/, '') : undefined
    const root = this.env.config.root
    if (!file || !file.startsWith(`${root}/`) || file.includes('/node_modules/') || !scriptFile.test(file)) {
      return undefined
    }
    return vite.isFileServingAllowed(this.server.config, file) ? file : undefined
  }

  private async rewrite(result: TransformResult, path: string, file: string): Promise<string> {
    const original = await readFile(file, 'utf8').catch(() => result.code)
    const out = await runnerTransform!(result.code, result.map, path, original)
    if (!out) throw new Error(`Vite's module runner transform gave nothing for ${path}`)
    const unknown = unknownRunnerName(out.code)
    if (unknown) throw new Error(`Vite's module runner transform uses ${unknown}, which the page does not supply`)
    return functionBody(out.code, out.map)
  }
}

/**
 * The text `new AsyncFunction(...)` takes: strict, the code, then its source map, shifted down by the
 * lines the function's header and the `"use strict"` line take.
 */
export function functionBody(code: string, map: unknown): string {
  const body = `"use strict";\n${code}\n`
  const raw = map as { mappings?: unknown } | null
  if (!raw || typeof raw.mappings !== 'string') return body
  const shifted = { ...raw, mappings: ';'.repeat(EVALUABLE_PADDING_LINES + 1) + raw.mappings }
  return `${body}//# sourceMappingURL=data:application/json;charset=utf-8;base64,${Buffer.from(JSON.stringify(shifted)).toString('base64')}\n`
}

/**
 * A name of the runner's calling convention the page does not pass in (a Vite that renamed one), which
 * would fail every evaluation with a ReferenceError; its own locals (`__vite_ssr_import_0__`) are fine.
 */
export function unknownRunnerName(code: string): string | undefined {
  const known = new Set<string>(RUNNER_PARAMS)
  for (const [name] of code.matchAll(/__vite_ssr_[A-Za-z0-9_]*__/g)) {
    if (!known.has(name) && !/^__vite_ssr_(import_\d+|export_default)__$/.test(name)) return name
  }
  return undefined
}

/** The module path without Vite's timestamp (or any other) query, or undefined if it is not a plain path. */
function cleanUrl(url: string): string | undefined {
  const path = url.replace(/[?#].*$/, '')
  let decoded: string
  try {
    decoded = decodeURI(path)
  } catch {
    return undefined
  }
  if (!decoded.startsWith('/') || decoded.startsWith('//') || decoded.split('/').includes('..')) return undefined
  return path
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.statusCode = status
  res.setHeader('content-type', type)
  res.setHeader('cache-control', 'no-cache')
  res.end(body)
}
