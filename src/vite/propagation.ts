import type { EnvironmentModuleNode } from 'vite'

/** Where a change to a module that cannot be swapped itself ends up. */
export type Propagation =
  | { kind: 'swap'; boundaries: Set<EnvironmentModuleNode> }
  | { kind: 'fallback'; action: 'hmr' | 'full-reload'; reason: string }

/**
 * Follow a change up the importers, the way Vite's own propagation does, but stop at swappable modules:
 * when every chain ends at one, re-evaluating those (they import the changed module afresh) applies the
 * change in a hotclass transaction. Any chain that reaches code accepting updates itself, or nothing at
 * all, is left to Vite, with the reason.
 */
export function propagate(
  changed: EnvironmentModuleNode,
  isSwappable: (node: EnvironmentModuleNode) => boolean,
  name: (node: EnvironmentModuleNode) => string,
): Propagation {
  if (changed.isSelfAccepting) {
    return { kind: 'fallback', action: 'hmr', reason: `${name(changed)} accepts its own updates (import.meta.hot)` }
  }
  const boundaries = new Set<EnvironmentModuleNode>()
  const seen = new Set<EnvironmentModuleNode>([changed])
  const walk = (node: EnvironmentModuleNode): Propagation | undefined => {
    if (node.importers.size === 0) {
      const reason =
        node === changed
          ? `nothing imports ${name(node)}`
          : `${name(changed)} reaches ${name(node)}, which is not a reloadable-only module and nothing accepts`
      return { kind: 'fallback', action: 'full-reload', reason }
    }
    for (const importer of node.importers) {
      if (isSwappable(importer)) {
        boundaries.add(importer)
        continue
      }
      if (importer.acceptedHmrDeps.has(node) || importer.isSelfAccepting) {
        const reason = `${name(importer)} accepts the update with its own import.meta.hot code`
        return { kind: 'fallback', action: 'hmr', reason }
      }
      if (seen.has(importer)) continue
      seen.add(importer)
      const stop = walk(importer)
      if (stop) return stop
    }
    return undefined
  }
  return walk(changed) ?? { kind: 'swap', boundaries }
}
