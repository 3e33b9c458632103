import type { PendingModule } from './protocol.ts'
import { moduleHref } from './browser-host.ts'
import { prepare } from './prepared.ts'

/**
 * Fetch and compile every pending version while it waits for the probe key, without evaluating it
 * (`<link rel="modulepreload">`), so pressing the key costs an evaluation and a patch, not a round trip
 * to the dev server. The swap imports the very same URL, so the browser uses what it prepared.
 */
export function createPreloader(): (pending: readonly PendingModule[]) => void {
  /** Hrefs already handed to the browser: each version is fetched and compiled once. */
  const preloaded = new Set<string>()
  return (pending) => {
    const doc = globalThis.document
    if (!doc?.head) return
    for (const module of pending) {
      const href = moduleHref(module)
      if (preloaded.has(href)) continue
      preloaded.add(href)
      if (module.gated) {
        prepare(href)
        continue
      }
      const link = doc.createElement('link')
      link.rel = 'modulepreload'
      link.href = href
      // The link has done its work once the module is in the browser's module map.
      link.addEventListener('load', () => link.remove(), { once: true })
      link.addEventListener('error', () => link.remove(), { once: true })
      doc.head.appendChild(link)
    }
  }
}
