import type { PendingModule } from './protocol.ts'
import { moduleHref } from './browser-host.ts'
import type { FunctionEvaluator } from './evaluate.ts'
import { prepare } from './prepared.ts'

/**
 * Fetch and compile every pending version while it waits for the probe key, without evaluating it, so
 * pressing the key costs an evaluation and a patch, not a round trip to the dev server. A version the
 * page evaluates as a function is fetched and compiled by the evaluator (evaluate.ts); otherwise the
 * browser preloads the module (`<link rel="modulepreload">`) or imports it up to its gate (prepared.ts),
 * and the swap imports the very same URL, so the browser uses what it prepared.
 */
export function createPreloader(
  evaluator: Pick<FunctionEvaluator, 'active' | 'prepare' | 'keepPrepared'>,
): (pending: readonly PendingModule[]) => void {
  /** Hrefs already handed to the browser: each version is fetched and compiled once. */
  const preloaded = new Set<string>()
  return (pending) => {
    const doc = globalThis.document
    if (!doc?.head) return
    // A version saved over before the key is never evaluated: its compiled function is let go.
    evaluator.keepPrepared(new Set(pending.map(moduleHref)))
    for (const module of pending) {
      const href = moduleHref(module)
      if (preloaded.has(href)) continue
      preloaded.add(href)
      if (!evaluator.active) {
        asModule(doc, module, href)
        continue
      }
      void evaluator.prepare(href).then((asFunction) => {
        if (!asFunction) asModule(doc, module, href)
      })
    }
  }
}

/** Prepare a version the page will import as a module. */
function asModule(doc: Document, module: PendingModule, href: string): void {
  if (module.gated) {
    prepare(href)
    return
  }
  const link = doc.createElement('link')
  link.rel = 'modulepreload'
  link.href = href
  // The link has done its work once the module is in the browser's module map.
  link.addEventListener('load', () => link.remove(), { once: true })
  link.addEventListener('error', () => link.remove(), { once: true })
  doc.head.appendChild(link)
}
