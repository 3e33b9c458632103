import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The hotclass source tree this plugin belongs to, so every import of it reaches the same files. */
const src = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/**
 * Files the package entries resolve to. In development `hotclass` and `hotclass/client` resolve to the
 * real runtime, both importing one `src/core` (one registry); in `vite build` they resolve to the
 * production stand-ins, where the decorator is the identity and no hot-swap code exists.
 */
export const entries = Object.freeze({
  core: resolve(src, 'index.ts'),
  client: resolve(src, 'client/index.ts'),
  prodCore: resolve(src, 'prod.ts'),
  prodClient: resolve(src, 'client/prod.ts'),
})

/**
 * Whether an import specifier written in `importer` names the hotclass core entry: the package name, or
 * a path to `src/index.ts` (how this repository's own tests and demo import it).
 */
export function namesCoreEntry(specifier: string, importer: string, root: string): boolean {
  if (specifier === 'hotclass') return true
  if (specifier.startsWith('.')) return resolve(dirname(importer), specifier) === entries.core
  if (specifier.startsWith('/')) {
    return specifier === entries.core || resolve(root, `.${specifier}`) === entries.core
  }
  return false
}
