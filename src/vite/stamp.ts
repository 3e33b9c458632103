import type { EnvironmentModuleGraph, EnvironmentModuleNode } from 'vite'

/**
 * Give modules a new version for the page to import (`?t=<timestamp>`) without touching any other
 * module's version. Vite's `invalidateModule(…, isHmr)` stamps every importer too, up to the entry: a
 * swapped module then imported `main.ts?t=…`, a new instance of the entry, which ran the game's
 * `init()` a second time. Here the transforms of importers are only soft-invalidated (their import URLs
 * follow the new version when they are next served), and their versions stay what the page has.
 *
 * One exception, returned for the caller: an importer that is itself pending (`isPending`) gets the
 * new version too, since the page may already have fetched (preloaded) it linked to the old one; it
 * runs in the swap anyway, so this re-runs nothing.
 *
 * Returns the modules stamped, each with the timestamp it had before.
 */
export function stampModules(
  graph: EnvironmentModuleGraph,
  nodes: Iterable<EnvironmentModuleNode>,
  timestamp: number,
  isPending: (node: EnvironmentModuleNode) => boolean,
): Map<EnvironmentModuleNode, number> {
  const stamped = new Map<EnvironmentModuleNode, number>()
  const queue = [...nodes]
  for (let node = queue.shift(); node; node = queue.shift()) {
    if (stamped.has(node)) continue
    stamped.set(node, node.lastHMRTimestamp)
    graph.invalidateModule(node, new Set(), timestamp, false)
    node.lastHMRTimestamp = timestamp
    for (const importer of node.importers) if (!stamped.has(importer) && isPending(importer)) queue.push(importer)
  }
  return stamped
}
