import createDebug from 'debug'

/**
 * True in a production build: Vite replaces `import.meta.env.PROD` statically, and Node servers set
 * `NODE_ENV=production`. The decorator is then the identity function and nothing is registered.
 */
export function isProduction(): boolean {
  const meta = import.meta as ImportMeta & { env?: { PROD?: boolean } }
  if (meta.env?.PROD === true) return true
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
  return proc?.env?.['NODE_ENV'] === 'production'
}

/** One namespaced logger per layer, silent unless `DEBUG=hotclass:*` (Node) or `localStorage.debug` (browser). */
export function logger(layer: 'core' | 'vite' | 'client' | 'node'): createDebug.Debugger {
  return createDebug(`hotclass:${layer}`)
}

/** A monotonic clock in milliseconds, in the browser and in Node alike. */
export function now(): number {
  return globalThis.performance.now()
}
