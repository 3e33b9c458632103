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
