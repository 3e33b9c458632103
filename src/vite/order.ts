import type { EnvironmentModuleNode } from 'vite'

/**
 * Import-graph walks shared by the dev server (Vite's module nodes) and the Node host (the runner's
 * files). Every walk is iterative: a deep import chain in a big project overflowed the stack of the
 * recursive version this replaced.
 */

/** What a module imports directly, in the caller's graph. */
export type ImportsOf<N> = (node: N) => Iterable<N>

/**
 * Sort modules so each comes after every module it imports, directly or through modules not in the list
 * (a base class's module before its subclasses'): the order `swapModules` evaluates them in. If
 * `game.ts` imports `room.ts` which imports `player.ts`, a change to `game.ts` and `player.ts` swaps
 * `player.ts` first, so `game.ts`'s new version sees the new `Player`. Import cycles are broken where the
 * walk first meets them; unrelated modules keep the order they were given.
 * @example
 * dependencyOrder(['game.ts', 'player.ts'], (f) => imports.get(f) ?? []) // ['player.ts', 'game.ts']
 */
export function dependencyOrder<N>(nodes: readonly N[], importsOf: ImportsOf<N>): N[] {
  const wanted = new Set(nodes)
  const visited = new Set<N>()
  const ordered: N[] = []
  for (const start of nodes) {
    if (visited.has(start)) continue
    visited.add(start)
    // Post-order: a module is emitted once every module it imports has been.
    const stack: Array<{ node: N; deps: Iterator<N> }> = [{ node: start, deps: importsOf(start)[Symbol.iterator]() }]
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!
      const next = top.deps.next()
      if (next.done) {
        stack.pop()
        if (wanted.has(top.node)) ordered.push(top.node)
      } else if (!visited.has(next.value)) {
        visited.add(next.value)
        stack.push({ node: next.value, deps: importsOf(next.value)[Symbol.iterator]() })
      }
    }
  }
  return ordered
}

/** Every module `start` imports, directly or through others, each once (not `start` itself). */
export function* reachable<N>(start: N, importsOf: ImportsOf<N>): Generator<N> {
  const seen = new Set<N>([start])
  const stack = [start]
  while (stack.length > 0) {
    for (const dep of importsOf(stack.pop()!)) {
      if (seen.has(dep)) continue
      seen.add(dep)
      yield dep
      stack.push(dep)
    }
  }
}

/**
 * For each of `nodes`, the others it imports, directly or through modules not in the list: what it
 * cannot be applied without.
 */
export function reachedAmong<N>(nodes: readonly N[], importsOf: ImportsOf<N>): Map<N, N[]> {
  const wanted = new Set(nodes)
  return new Map(nodes.map((node) => [node, [...reachable(node, importsOf)].filter((n) => wanted.has(n))]))
}

/**
 * The modules that cannot be swapped while `held` are broken: the held ones themselves and every one
 * that imports one of them, directly or through unchanged modules (its new version may use what only
 * the broken version exports).
 */
export function heldBack<N>(nodes: readonly N[], held: ReadonlySet<N>, importsOf: ImportsOf<N>): Set<N> {
  const out = new Set<N>()
  for (const node of nodes) {
    if (held.has(node) || needsAny(node, held, importsOf)) out.add(node)
  }
  return out
}

function needsAny<N>(node: N, held: ReadonlySet<N>, importsOf: ImportsOf<N>): boolean {
  for (const dep of reachable(node, importsOf)) if (held.has(dep)) return true
  return false
}

/** A dev-server module's imports inside the project: node_modules cannot lead back to project modules. */
export function projectImports(node: EnvironmentModuleNode): Iterable<EnvironmentModuleNode> {
  return [...node.importedModules].filter((dep) => !dep.file?.includes('/node_modules/'))
}
