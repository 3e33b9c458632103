import type { ESTree } from 'vite'

/** Names a binding pattern declares. */
export function patternNames(pattern: ESTree.Node | null | undefined, out: string[] = []): string[] {
  if (!pattern) return out
  switch (pattern.type) {
    case 'Identifier':
      out.push(pattern.name)
      break
    case 'ObjectPattern':
      for (const p of pattern.properties) patternNames(p.type === 'RestElement' ? p : p.value, out)
      break
    case 'ArrayPattern':
      for (const e of pattern.elements) patternNames(e, out)
      break
    case 'AssignmentPattern':
      patternNames(pattern.left, out)
      break
    case 'RestElement':
      patternNames(pattern.argument, out)
      break
  }
  return out
}

/** A generated name that occurs nowhere in `code`: `base`, else `base1`, `base2`, ... */
export function freshName(code: string, base: string): string {
  let name = base
  for (let i = 1; code.includes(name); i++) name = `${base}${i}`
  return name
}

/** The name of an identifier or a string literal (`export { x as "y" }`, `import { "a" as b }`). */
export function moduleExportName(node: ESTree.ModuleExportName): string {
  return node.type === 'Identifier' ? node.name : String(node.value)
}
