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
 * `forImports` false (swapped versions the page evaluates as functions, `evaluate: 'function'`): the
 * modules are invalidated but keep, for Vite, the version the page has as a module record, so a module
 * served later (a lazy scene, an importer re-served by Vite's warm-up in the middle of the update) links
 * to that record; the caller keeps the new version apart. Setting Vite's timestamp and taking it back
 * afterwards was not enough: Vite re-serves importers while the update is checked (a module that imports
 * one of its importers makes Vite warm that importer up), and they kept the new `?t=` in their code.
 *
 * Returns the modules stamped.
 */
export function stampModules(
  graph: EnvironmentModuleGraph,
  nodes: Iterable<EnvironmentModuleNode>,
  timestamp: number,
  isPending: (node: EnvironmentModuleNode) => boolean,
  forImports = true,
): Set<EnvironmentModuleNode> {
  const stamped = new Set<EnvironmentModuleNode>()
  const queue = [...nodes]
  for (let node = queue.shift(); node; node = queue.shift()) {
    if (stamped.has(node)) continue
    stamped.add(node)
    graph.invalidateModule(node, new Set(), timestamp, false)
    if (forImports) node.lastHMRTimestamp = timestamp
    for (const importer of node.importers) if (!stamped.has(importer) && isPending(importer)) queue.push(importer)
  }
  return stamped
}
