import type { ESTree } from 'vite'
import { patternNames } from './names.ts'

/**
 * Every name the module scope declares, read from the statements alone: top-level declarations and
 * imports, and `var`s in top-level blocks, loops and `try` (not inside functions, which scope their own).
 */
export function moduleScopeNames(program: ESTree.Program): Set<string> {
  const out = new Set<string>()
  const statement = (node: ESTree.Node | null | undefined, top: boolean): void => {
    if (!node) return
    switch (node.type) {
      case 'VariableDeclaration':
        if (top || node.kind === 'var')
          for (const d of node.declarations) for (const n of patternNames(d.id)) out.add(n)
        return
      case 'FunctionDeclaration':
      case 'ClassDeclaration':
        if (top && node.id) out.add(node.id.name)
        return
      case 'ImportDeclaration':
        for (const spec of node.specifiers) out.add(spec.local.name)
        return
      case 'ExportNamedDeclaration':
      case 'ExportDefaultDeclaration':
        statement(node.declaration as ESTree.Node | null, top)
        return
      case 'BlockStatement':
        for (const s of node.body) statement(s, false)
        return
      case 'IfStatement':
        statement(node.consequent, false)
        statement(node.alternate, false)
        return
      case 'ForStatement':
        statement(node.init as ESTree.Node | null, false)
        statement(node.body, false)
        return
      case 'ForInStatement':
      case 'ForOfStatement':
        statement(node.left, false)
        statement(node.body, false)
        return
      case 'WhileStatement':
      case 'DoWhileStatement':
      case 'LabeledStatement':
        statement(node.body, false)
        return
      case 'TryStatement':
        statement(node.block, false)
        statement(node.handler?.body, false)
        statement(node.finalizer, false)
        return
      case 'SwitchStatement':
        for (const c of node.cases) for (const s of c.consequent) statement(s, false)
        return
    }
  }
  for (const stmt of program.body) statement(stmt, true)
  return out
}
