/**
 * Reading names out of ESTree: what a pattern binds, what a block or function body declares. Helpers of
 * the scope analysis (scope.ts) and of the passes that rewrite declarations.
 */

/** A node as the walker sees it: ESTree with offsets into the code. */
export interface Node {
  type: string
  start: number
  end: number
  [key: string]: unknown
}

const SKIP_KEYS = new Set(['type', 'start', 'end', 'loc', 'range', 'raw', 'value'])

export function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as Node).type === 'string'
}

export function children(node: Node): Node[] {
  const out: Node[] = []
  for (const key of Object.keys(node)) {
    if (SKIP_KEYS.has(key) && !(key === 'value' && isNode(node[key]))) continue
    const value = node[key]
    if (Array.isArray(value)) {
      for (const v of value) if (isNode(v)) out.push(v)
    } else if (isNode(value)) out.push(value)
  }
  return out
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

/** Block-scoped names a statement list declares directly (`let`, `const`, `class`, `function`). */
export function lexicalNames(statements: Node[], out: Set<string>): void {
  for (let stmt of statements) {
    if (stmt.type === 'ExportNamedDeclaration' || stmt.type === 'ExportDefaultDeclaration') {
      const decl = stmt['declaration'] as Node | null
      if (!decl) continue
      stmt = decl
    }
    if (stmt.type === 'VariableDeclaration' && stmt['kind'] !== 'var') {
      for (const d of stmt['declarations'] as Node[]) for (const n of patternNames(d['id'] as Node)) out.add(n)
    } else if ((stmt.type === 'ClassDeclaration' || stmt.type === 'FunctionDeclaration') && stmt['id']) {
      out.add((stmt['id'] as Node)['name'] as string)
    }
  }
}

/** `var` names a function body declares anywhere outside nested functions. */
export function varNames(node: Node, out: Set<string>): void {
  if (node.type === 'VariableDeclaration') {
    if (node['kind'] === 'var')
      for (const d of node['declarations'] as Node[]) for (const n of patternNames(d['id'] as Node)) out.add(n)
    return
  }
  if (/Function|Class/.test(node.type) || node.type.endsWith('Expression')) return
  for (const child of children(node)) varNames(child, out)
}

export function bodyOf(fn: Node): Node[] {
  const body = fn['body'] as Node
  return body.type === 'BlockStatement' ? (body['body'] as Node[]) : []
}

/** Names a declaration binds. */
export function declaredBy(decl: Node): string[] {
  if (decl.type === 'VariableDeclaration')
    return (decl['declarations'] as Node[]).flatMap((d) => patternNames(d['id'] as Node))
  return decl['id'] ? [(decl['id'] as Node)['name'] as string] : []
}
