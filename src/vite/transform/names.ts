/** Reading names out of ESTree, for the passes that rewrite declarations: the node shape, what a pattern binds. */

/** A node as the walker sees it: ESTree with offsets into the code. */
export interface Node {
  type: string
  start: number
  end: number
  [key: string]: unknown
}

/** Names a binding pattern declares. */
export function patternNames(pattern: Node | null | undefined, out: string[] = []): string[] {
  if (!pattern) return out
  switch (pattern.type) {
    case 'Identifier':
      out.push(pattern['name'] as string)
      break
    case 'ObjectPattern':
      for (const p of pattern['properties'] as Node[])
        patternNames(p.type === 'RestElement' ? p : (p['value'] as Node), out)
      break
    case 'ArrayPattern':
      for (const e of pattern['elements'] as Array<Node | null>) patternNames(e, out)
      break
    case 'AssignmentPattern':
      patternNames(pattern['left'] as Node, out)
      break
    case 'RestElement':
      patternNames(pattern['argument'] as Node, out)
      break
  }
  return out
}
