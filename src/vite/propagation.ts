import type { EnvironmentModuleNode } from 'vite'

/** Where a change to a module that cannot be swapped itself ends up. */
export type Propagation =
  | { kind: 'swap'; boundaries: Set<EnvironmentModuleNode> }
  | { kind: 'fallback'; action: 'hmr' | 'full-reload'; reason: string }

/**
 * Follow a change to the modules that import it, the way Vite's own propagation does, but stop at
 * swappable modules: when every importer is one, re-evaluating those (they import the changed module
 * afresh) applies the change in a hotclass transaction. The changed module runs again, since its source
 * changed; no other module may. An importer that cannot be swapped would have to run again to see the
 * change — in the game that forced this rule, `main.ts` (every entity imported `app` from it): its
 * `init()` ran twice and the game froze — so that is a full reload with the reason. An importer with its
 * own `import.meta.hot` code is left to Vite.
 */
export function propagate(
  changed: EnvironmentModuleNode,
  isSwappable: (node: EnvironmentModuleNode) => boolean,
  name: (node: EnvironmentModuleNode) => string,
): Propagation {
  if (changed.isSelfAccepting) {
    return { kind: 'fallback', action: 'hmr', reason: `${name(changed)} accepts its own updates (import.meta.hot)` }
  }
  const importers = [...changed.importers].filter((importer) => importer !== changed)
  if (importers.length === 0)
    return { kind: 'fallback', action: 'full-reload', reason: `nothing imports ${name(changed)}` }
  const boundaries = new Set<EnvironmentModuleNode>()
  for (const importer of importers) {
    if (isSwappable(importer)) {
      boundaries.add(importer)
      continue
    }
    if (importer.acceptedHmrDeps.has(changed) || importer.isSelfAccepting) {
      const reason = `${name(importer)} accepts the update with its own import.meta.hot code`
      return { kind: 'fallback', action: 'hmr', reason }
    }
    const reason = `${name(changed)} is imported by ${name(importer)}, which cannot be swapped in place and would have to run again`
    return { kind: 'fallback', action: 'full-reload', reason }
  }
  return { kind: 'swap', boundaries }
}
