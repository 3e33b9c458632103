/**
 * What hotclass needs from the environment it runs in, passed in by an adapter (the browser client,
 * the Node host) so the core knows nothing of DOM, Node or Vite. The default works in Node and under
 * Vitest: paths resolve against the current directory and modules load through a cache-busted `import()`.
 */
export interface Host {
  /** The project root, as a URL ending in `/`. Only modules below it can be swapped. */
  root: string
  /** Turn a user's specifier into the module URL to import. */
  resolve(specifier: string | URL): string
  /** Load a fresh evaluation of the module; `version` differs on every call. */
  importModule(url: string, version: number): Promise<unknown>
  /** A short id for reports: the path relative to the root where possible. */
  moduleId(url: string): string
  /** Whether an error thrown by `importModule` means the module does not exist. */
  isNotFound(error: unknown): boolean
}

function processCwd(): string | undefined {
  const proc = (globalThis as { process?: { cwd?: () => string } }).process
  return typeof proc?.cwd === 'function' ? proc.cwd() : undefined
}

function fileUrl(path: string): string {
  const normal = path.replace(/\\/g, '/')
  const withSlash = normal.startsWith('/') ? normal : `/${normal}`
  return new URL(`file://${encodeURI(withSlash).replace(/[?#]/g, encodeURIComponent)}`).href
}

function ensureSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`
}

/** Build the default host for a root (a path or a URL); Node's current directory when omitted. */
export function defaultHost(root?: string): Host {
  const location = (globalThis as { location?: { href: string; origin: string } }).location
  const base = root
    ? /^[a-z][a-z+.-]*:/i.test(root) && !/^[a-z]:[\\/]/i.test(root)
      ? root
      : fileUrl(root)
    : processCwd() !== undefined
      ? fileUrl(processCwd()!)
      : (location?.origin ?? 'file:///')
  const rootUrl = ensureSlash(base)
  return {
    root: rootUrl,
    resolve(specifier) {
      if (specifier instanceof URL) return specifier.href
      if (/^[a-z][a-z+.-]*:/i.test(specifier) && !/^[a-z]:[\\/]/i.test(specifier)) return new URL(specifier).href
      if (specifier.startsWith('/') || /^[a-z]:[\\/]/i.test(specifier)) {
        return rootUrl.startsWith('file:') ? fileUrl(specifier) : new URL(specifier, rootUrl).href
      }
      return new URL(specifier, rootUrl).href
    },
    importModule(url, version) {
      const busted = `${url}${url.includes('?') ? '&' : '?'}hotclass=${version}`
      return import(/* @vite-ignore */ busted)
    },
    moduleId(url) {
      const clean = url.replace(/[?#].*$/, '')
      return clean.startsWith(rootUrl) ? decodeURI(clean.slice(rootUrl.length)) : decodeURI(clean)
    },
    isNotFound(error) {
      const e = error as { code?: string; message?: string } | undefined
      if (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'ERR_LOAD_URL') return true
      return /Cannot find module|Failed to load url|Does the file exist|ENOENT/i.test(String(e?.message ?? ''))
    },
  }
}

let active: Host | undefined

/** The host in use; the default one is built on first use. */
export function host(): Host {
  return (active ??= defaultHost())
}

/** Install a host (adapters do this); fields left out keep the default's. Returns the previous host. */
export function setHost(next: Partial<Host> & { root?: string }): Host {
  const previous = host()
  const base = next.root !== undefined ? defaultHost(next.root) : previous
  active = { ...base, ...next, root: next.root !== undefined ? base.root : previous.root }
  return previous
}
