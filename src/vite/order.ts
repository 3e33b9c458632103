import type { EnvironmentModuleNode } from 'vite'

/**
 * Sort modules so each comes after every module it imports, directly or through others (a base class's
 * module before its subclasses'), which is the order `swapModules` evaluates them in. Import cycles are
 * broken where the walk first meets them; the rest keep the order they were given.
 */
export function dependencyOrder<T>(items: readonly T[], nodeOf: (item: T) => EnvironmentModuleNode): T[] {
  const byNode = new Map<EnvironmentModuleNode, T>()
  for (const item of items) byNode.set(nodeOf(item), item)
  const out: T[] = []
  const visited = new Set<EnvironmentModuleNode>()
  const visit = (node: EnvironmentModuleNode): void => {
    if (visited.has(node)) return
    visited.add(node)
    // Dependencies in node_modules cannot lead back to project modules; skipping them keeps this cheap.
    for (const dep of node.importedModules) if (!dep.file?.includes('/node_modules/')) visit(dep)
    const item = byNode.get(node)
    if (item !== undefined) out.push(item)
  }
  for (const item of items) visit(nodeOf(item))
  return out
}

/**
 * For each item, the other items it imports, directly or through modules that are not items: what it
 * cannot be applied without. Iterative, so a deep import chain cannot overflow the stack.
 */
export function itemsReached<T>(items: readonly T[], nodeOf: (item: T) => EnvironmentModuleNode): Map<T, T[]> {
  const byNode = new Map<EnvironmentModuleNode, T>()
  for (const item of items) byNode.set(nodeOf(item), item)
  const out = new Map<T, T[]>()
  for (const item of items) {
    const start = nodeOf(item)
    const seen = new Set<EnvironmentModuleNode>([start])
    const stack = [start]
    const reached: T[] = []
    while (stack.length > 0) {
      for (const dep of stack.pop()!.importedModules) {
        if (seen.has(dep) || dep.file?.includes('/node_modules/')) continue
        seen.add(dep)
        const other = byNode.get(dep)
        if (other !== undefined) reached.push(other)
        stack.push(dep)
      }
    }
    out.set(item, reached)
  }
  return out
}
