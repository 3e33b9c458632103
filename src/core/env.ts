import createDebug from 'debug'

/**
 * True in a production build: Vite replaces `import.meta.env.PROD` statically, and Node servers set
 * `NODE_ENV=production`. The decorator is then the identity function and nothing is registered.
 */
export function isProduction(): boolean {
  // Written out in full so Vite replaces it statically (its module runner refuses dynamic access);
  // plain Node has no `import.meta.env`, hence the try.
  try {
    if (import.meta.env.PROD === true) return true
  } catch {
    // not under Vite
  }
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
  return proc?.env?.['NODE_ENV'] === 'production'
}

/** One namespaced logger per layer, silent unless `DEBUG=hotclass:*` (Node) or `localStorage.debug` (browser). */
export function logger(layer: 'core' | 'vite' | 'client' | 'node' | 'fleet' | 'fleet:trace'): createDebug.Debugger {
  return createDebug(`hotclass:${layer}`)
}

/** A monotonic clock in milliseconds, in the browser and in Node alike. */
export function now(): number {
  return globalThis.performance.now()
}
