import type { ESTree } from 'vite'
import { reloadableBindings } from './decorated.ts'

/**
 * Whether every export of the module is a reloadable class, so re-evaluating it changes nothing but
 * those classes (which the core patches in place). Anything else exported (a function, a constant, a
 * re-export) would leave importers holding the old value, so such a module is not swapped in place.
 * A module without exports (an entry, a side-effect module) is not swappable either.
 */
export function allExportsReloadable(ast: ESTree.Program, reloadableName: string): boolean {
  const classes = reloadableBindings(ast, reloadableName)
  let exported = 0
  for (const node of ast.body) {
    switch (node.type) {
      case 'ExportNamedDeclaration': {
        if (node.exportKind === 'type') continue
        if (node.source) return false
        if (node.declaration) {
          const names = declaredNames(node.declaration)
          if (names.length === 0 || !names.every((n) => classes.has(n))) return false
          exported += names.length
        }
        for (const spec of node.specifiers) {
          if (spec.exportKind === 'type') continue
          if (spec.local.type !== 'Identifier' || !classes.has(spec.local.name)) return false
          exported++
        }
        break
      }
      case 'ExportDefaultDeclaration': {
        const d = node.declaration
        const name = d.type === 'Identifier' ? d.name : d.type === 'ClassDeclaration' && d.id ? d.id.name : undefined
        if (!name || !classes.has(name)) return false
        exported++
        break
      }
      case 'ExportAllDeclaration':
        if (node.exportKind === 'type') continue
        return false
      default:
        break
    }
  }
  return exported > 0
}

function declaredNames(decl: ESTree.Declaration): string[] {
  switch (decl.type) {
    case 'ClassDeclaration':
      return decl.id ? [decl.id.name] : []
    case 'VariableDeclaration':
      return decl.declarations.flatMap((d) => (d.id.type === 'Identifier' ? [d.id.name] : ['']))
    default:
      return ['']
  }
}
