import { dirname, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const self = fileURLToPath(import.meta.url)
/**
 * The hotclass tree this plugin belongs to, so every import of it reaches the same files: `src/` (.ts)
 * in this repository, `dist/` (.js, what an installed package ships) when the plugin runs from a build.
 */
const src = resolve(dirname(self), '..')
const ext = self.endsWith('.ts') ? '.ts' : '.js'

/**
 * Files the package entries resolve to. In development `hotclass` and `hotclass/client` resolve to the
 * real runtime, both importing one `core/` (one registry); in `vite build` they resolve to the
 * production stand-ins, where the decorator is the identity and no hot-swap code exists.
 */
export const entries = Object.freeze({
  dir: src,
  core: resolve(src, `index${ext}`),
  client: resolve(src, `client/index${ext}`),
  prodCore: resolve(src, `prod${ext}`),
  prodClient: resolve(src, `client/prod${ext}`),
  /** Server-side entries, for programs the Node host runs (`import { watchConfig } from 'hotclass/node'`). */
  node: resolve(src, `node/index${ext}`),
  vite: resolve(src, `vite/index${ext}`),
  /** Whether this copy is an installed package, whose own dependencies the project's root may not see. */
  installed: src.split(sep).includes('node_modules'),
})

/**
 * Whether an import specifier written in `importer` names the hotclass core entry: the package name, or
 * a path to the core entry file (how this repository's own tests and demo import `src/index.ts`).
 */
export function namesCoreEntry(specifier: string, importer: string, root: string): boolean {
  if (specifier === 'hotclass') return true
  if (specifier.startsWith('.')) return resolve(dirname(importer), specifier) === entries.core
  if (specifier.startsWith('/')) {
    return specifier === entries.core || resolve(root, `.${specifier}`) === entries.core
  }
  return false
}
