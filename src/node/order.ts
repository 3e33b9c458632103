/**
 * Order changed files so every module comes after the modules it imports (importee before importer),
 * following imports through unchanged modules too: if `game.ts` imports `room.ts` which imports
 * `player.ts`, a change to `game.ts` and `player.ts` swaps `player.ts` first, so `game.ts`'s new
 * version sees the new `Player`. Files in an import cycle keep their relative input order.
 */
export function dependencyOrder(files: readonly string[], importsOf: (file: string) => Iterable<string>): string[] {
  const wanted = new Set(files)
  const visited = new Set<string>()
  const ordered: string[] = []

  // Iterative post-order DFS: deep import chains in big projects must not overflow the stack.
  const visit = (start: string): void => {
    const stack: Array<{ file: string; deps: Iterator<string> }> = [
      { file: start, deps: importsOf(start)[Symbol.iterator]() },
    ]
    visited.add(start)
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!
      const next = top.deps.next()
      if (next.done) {
        stack.pop()
        if (wanted.has(top.file)) ordered.push(top.file)
        continue
      }
      if (visited.has(next.value)) continue
      visited.add(next.value)
      stack.push({ file: next.value, deps: importsOf(next.value)[Symbol.iterator]() })
    }
  }

  for (const file of files) if (!visited.has(file)) visit(file)
  return ordered
}

/**
 * The files that cannot be swapped while `held` are broken: the held files themselves and every file
 * that imports one of them, directly or through unchanged modules (a new version of it may use what
 * only the broken version exports). Iterative, like `dependencyOrder`.
 */
export function heldBack(
  files: readonly string[],
  held: ReadonlySet<string>,
  importsOf: (file: string) => Iterable<string>,
): Set<string> {
  const out = new Set<string>()
  for (const file of files) {
    if (held.has(file)) {
      out.add(file)
      continue
    }
    const seen = new Set([file])
    const stack = [file]
    search: while (stack.length > 0) {
      for (const dep of importsOf(stack.pop()!)) {
        if (held.has(dep)) {
          out.add(file)
          break search
        }
        if (!seen.has(dep)) {
          seen.add(dep)
          stack.push(dep)
        }
      }
    }
  }
  return out
}
