import type { ESTree } from 'vite'

/**
 * The local name the `reloadable` decorator is imported under, e.g. `rl` for
 * `import { reloadable as rl } from 'hotclass'`. Only named imports of the hotclass entry count: a
 * decorator re-exported through a user module is not recognised, and its classes are keyed by name.
 */
export function findReloadableName(
  ast: ESTree.Program,
  isHotclassEntry: (specifier: string) => boolean,
): string | undefined {
  for (const node of ast.body) {
    if (node.type !== 'ImportDeclaration' || node.importKind === 'type') continue
    if (typeof node.source.value !== 'string' || !isHotclassEntry(node.source.value)) continue
    for (const spec of node.specifiers) {
      if (spec.type !== 'ImportSpecifier') continue
      const imported = spec.imported.type === 'Identifier' ? spec.imported.name : spec.imported.value
      if (imported === 'reloadable') return spec.local.name
    }
  }
  return undefined
}
