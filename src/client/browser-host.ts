import { setHost } from '../core/host.ts'
import type { PendingModule } from './protocol.ts'
import { brokenBeforeImport, explainFailedImport } from './failed-import.ts'
import { mark } from './marks.ts'
import { installGate, take } from './prepared.ts'

/** Where the page is served from: the origin plus Vite's `base`. Module URLs below it are swappable. */
const base = import.meta.env?.BASE_URL ?? '/'
const root = new URL(base, globalThis.location?.href ?? 'http://localhost/').href

/** The modules of the swap in progress, by path: their URL must carry the server's timestamp. */
let plan = new Map<string, PendingModule>()
/** Every `?t=` URL this page has imported: the browser caches each, so one can evaluate only once. */
export const imported = new Set<string>()
/** Ids imported by the swap in progress, to restamp if it does not commit. */
export const attempted: string[] = []
/** The id whose import failed in the swap in progress, if one did. */
let failed: string | undefined
let lastStamp = 0

export function setPlan(modules: readonly PendingModule[]): void {
  plan = new Map(modules.map((m) => [servedPath(m), m]))
  failed = undefined
}

/** The module of the last swap whose import failed (it did not transform, threw, or is not served). */
export function failedImport(): string | undefined {
  return failed
}

/** Where the page fetches a pending module: the server names it without Vite's `base`, as its HMR does. */
export function servedPath(module: PendingModule): string {
  return `${base}${module.url.replace(/^\//, '')}`
}

/** The exact URL a pending version is imported from; its importers' fresh versions import the same one. */
export function moduleHref(module: PendingModule): string {
  return new URL(`${servedPath(module)}?t=${module.t}`, root).href
}

function pathOf(url: string): string {
  return new URL(url, root).pathname
}

/** The root-relative id of a module URL, as the transform named its classes. */
export function moduleId(url: string): string {
  const clean = url.replace(/[?#].*$/, '')
  if (clean.startsWith(root)) return decodeURI(clean.slice(root.length))
  if (clean.startsWith(base) && clean.startsWith('/')) return decodeURI(clean.slice(base.length))
  return decodeURI(clean)
}

/** Vite's timestamp query must be 13 digits for it to recognise (and strip) it. */
function freshStamp(): number {
  lastStamp = Math.max(Date.now(), lastStamp + 1)
  return lastStamp
}

/**
 * Point the core at the dev server: module URLs resolve under the page's base, and a swap imports each
 * module with Vite's `?t=` query (the server's timestamp for a pending module, the one its importers
 * use too), so the browser evaluates a fresh instance exactly once.
 */
export function installBrowserHost(): void {
  installGate()
  setHost({
    root,
    resolve(specifier) {
      return new URL(String(specifier), root).href
    },
    async importModule(url) {
      const path = pathOf(url)
      const entry = plan.get(path)
      const id = moduleId(url)
      const broken = brokenBeforeImport(id)
      if (broken) {
        failed = id
        throw broken
      }
      const target = `${path}?t=${entry?.t ?? freshStamp()}`
      imported.add(target)
      attempted.push(id)
      // A full URL, not a path: Vite rewrites a dynamic import of a path to add `?import`, which would
      // make it a different module from the `/x.ts?t=` its importers load, evaluated a second time.
      const href = new URL(target, root).href
      try {
        mark('import')
        const namespace: unknown = await (take(href) ?? import(/* @vite-ignore */ href))
        mark('imported')
        return namespace
      } catch (error) {
        failed = id
        throw await explainFailedImport(error, href, id)
      }
    },
    moduleId,
    isNotFound(error) {
      return (error as { code?: string } | undefined)?.code === 'ERR_MODULE_NOT_FOUND'
    },
  })
}

export function wasImported(module: PendingModule): boolean {
  return imported.has(`${servedPath(module)}?t=${module.t}`)
}
