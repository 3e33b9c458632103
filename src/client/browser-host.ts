import type { Host } from '../core/host.ts'
import { onSwap } from '../core/report.ts'
import type { PendingModule } from './protocol.ts'
import { createEvaluator } from './evaluate.ts'
import type { FunctionEvaluator } from './evaluate.ts'
import { brokenBeforeImport, explainFailedImport, locateThrow } from './failed-import.ts'
import type { KnownProblems } from './failed-import.ts'
import { mark } from './marks.ts'
import { take } from './prepared.ts'

/** Where the page is served from: the origin plus Vite's `base`. Module URLs below it are swappable. */
// Typed by hand rather than through vite/client and the DOM lib, so Node-side tests can build a host too.
const base = (import.meta as { env?: { BASE_URL?: string } }).env?.BASE_URL ?? '/'
const root = new URL(base, (globalThis as { location?: { href: string } }).location?.href ?? 'http://localhost/').href

/** Where the page fetches a pending module: the server names it without Vite's `base`, as its HMR does. */
export function servedPath(module: PendingModule): string {
  return `${base}${module.url.replace(/^\//, '')}`
}

/**
 * The exact URL a pending version is imported from, with the server's timestamp: its importers' fresh
 * versions import the same one, so the browser evaluates it exactly once. A swap is handed these URLs,
 * so the host never has to look the timestamp up again.
 */
export function moduleHref(module: PendingModule): string {
  return new URL(`${servedPath(module)}?t=${module.t}`, root).href
}

/** The root-relative id of a module URL, as the transform named its classes. */
export function moduleId(url: string): string {
  const clean = url.replace(/[?#].*$/, '')
  if (clean.startsWith(root)) return decodeURI(clean.slice(root.length))
  if (clean.startsWith(base) && clean.startsWith('/')) return decodeURI(clean.slice(base.length))
  return decodeURI(clean)
}

/** What the host saw of one swap: the ids it imported (to restamp if the swap does not commit), the one that failed. */
export interface ImportLog {
  attempted: string[]
  failed: string | undefined
}

/** The page's module loader for the core, and what it has imported. */
export interface BrowserHost {
  /** What `setHost` takes. */
  host: Pick<Host, 'root' | 'resolve' | 'importModule' | 'moduleId' | 'isNotFound'>
  /** Start a fresh log for the swap about to run; the host records that swap's imports in it. */
  beginLog(): ImportLog
  /** Whether this page has imported that version already (the browser caches it: it cannot evaluate again). */
  wasImported(module: PendingModule): boolean
  /** Swapped versions evaluated as functions, outside the module map (evaluate.ts). */
  evaluator: FunctionEvaluator
}

/**
 * Point the core at the dev server: module URLs resolve under the page's base, and a swap evaluates each
 * module at Vite's `?t=` version, which pending modules carry already (`moduleHref`) and other modules
 * (a `hotswap()` by hand) get fresh, so each version is evaluated exactly once. A version is evaluated
 * as a function the page can collect (evaluate.ts), or imported as a module where the page forbids that
 * or the plugin says `evaluate: 'module'`.
 */
export function createBrowserHost(known: KnownProblems): BrowserHost {
  /** Every `?t=` URL this page has imported: the browser caches each, so one can evaluate only once. */
  const imported = new Set<string>()
  let log: ImportLog = { attempted: [], failed: undefined }
  let lastStamp = 0
  /** Vite's timestamp query must be 13 digits for it to recognise (and strip) it. */
  const freshStamp = (): number => (lastStamp = Math.max(Date.now(), lastStamp + 1))
  const evaluator = createEvaluator({
    root,
    isSwapVersion: (href) => known.current().pending.some((p) => moduleHref(p) === href),
    importsModules: () => known.current().evaluate === 'module',
  })
  // A version becomes what later imports of its module get only once its swap commits.
  onSwap((report) => evaluator.settle(report.ok && report.kind === 'swap'))

  const host: BrowserHost['host'] = {
    root,
    resolve(specifier) {
      return new URL(String(specifier), root).href
    },
    async importModule(url) {
      const id = moduleId(url)
      const broken = brokenBeforeImport(id, known)
      if (broken) {
        log.failed = id
        throw broken
      }
      // A full URL, not a path: Vite rewrites a dynamic import of a path to add `?import`, which would
      // make it a different module from the `/x.ts?t=` its importers load, evaluated a second time.
      const href = new URL(url, root)
      if (!href.searchParams.has('t')) href.searchParams.set('t', String(freshStamp()))
      imported.add(href.href)
      log.attempted.push(id)
      mark('import')
      if (evaluator.active) {
        try {
          const namespace = await evaluator.evaluate(href.href)
          if (namespace !== undefined) {
            mark('imported')
            return namespace
          }
        } catch (error) {
          log.failed = id
          const body = evaluator.bodyOf(href.href)
          throw (body !== undefined && (await locateThrow(error, href.href, id, body))) || error
        }
      }
      try {
        // A gated version the page prepared before the key resumes from its gate (prepared.ts).
        const namespace: unknown = await (take(href.href) ?? import(/* @vite-ignore */ href.href))
        mark('imported')
        return namespace
      } catch (error) {
        log.failed = id
        throw await explainFailedImport(error, href.href, id, known)
      }
    },
    moduleId,
    isNotFound(error) {
      return (error as { code?: string } | undefined)?.code === 'ERR_MODULE_NOT_FOUND'
    },
  }
  return {
    host,
    beginLog() {
      log = { attempted: [], failed: undefined }
      return log
    },
    wasImported: (module) => imported.has(moduleHref(module)),
    evaluator,
  }
}
