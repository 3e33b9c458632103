import type { ESTree } from 'vite'
import type { TopStatement } from './reloadable-classes.ts'
import type { ModuleScope } from './scope.ts'

/** Facts read from the program's statements, once scopes are resolved. */

/** A top-level variable declaration, with the export statement around it when there is one. */
export interface VariableStatement {
  stmt: TopStatement
  decl: ESTree.VariableDeclaration
}

/** A top-level class that is not reloadable and never reassigned, kept like a `const`. */
export interface PlainClass {
  stmt: TopStatement
  cls: ESTree.Class & { id: ESTree.BindingIdentifier }
}

/** `export default { ... }` / `[ ... ]`, kept like a variable named `default`. */
export interface DefaultData {
  stmt: ESTree.ExportDefaultDeclaration
  value: ESTree.ObjectExpression | ESTree.ArrayExpression
}

export interface ExportFacts {
  /** `export * from` or `export { x } from`: a value another module owns. */
  reexports: boolean
  /** `export default ...`: the name it exports when it is an identifier or a named declaration. */
  defaults: Array<{ local: string | undefined }>
}

/** Classes and the aliases Oxc's decorator lowering gives them (`Enemy = _Enemy = _decorate([...], Enemy)`). */
export function classBindings(scope: ModuleScope, program: ESTree.Program): Set<string> {
  const out = new Set<string>()
  for (const b of scope.bindings.values()) {
    if (b.kind === 'class') out.add(b.name)
    let init = b.node?.type === 'VariableDeclarator' ? b.node.init : null
    // `let X = _X = class X {}`: X and the alias both name the class.
    const aliases: string[] = []
    while (init?.type === 'AssignmentExpression' && init.left.type === 'Identifier') {
      aliases.push(init.left.name)
      init = init.right
    }
    if (init?.type === 'ClassExpression') for (const n of [b.name, ...aliases]) out.add(n)
    // `reloadable(...)(class { ... })`: the classes emitter defines it on every evaluation.
    if (init?.type === 'CallExpression' && init.arguments[0]?.type === 'ClassExpression') out.add(b.name)
  }
  for (const stmt of program.body) {
    if (stmt.type !== 'ExpressionStatement') continue
    const names: string[] = []
    let expr = stmt.expression
    while (expr.type === 'AssignmentExpression' && expr.left.type === 'Identifier') {
      names.push(expr.left.name)
      expr = expr.right
    }
    if (names.some((n) => out.has(n))) for (const n of names) out.add(n)
  }
  return out
}

export function variableStatements(program: ESTree.Program): VariableStatement[] {
  const out: VariableStatement[] = []
  for (const stmt of program.body) {
    const decl = stmt.type === 'ExportNamedDeclaration' ? stmt.declaration : stmt
    if (decl?.type === 'VariableDeclaration') out.push({ stmt, decl })
  }
  return out
}

/**
 * Top-level classes that are not reloadable (`class Vec2 {}`, exported or not, never reassigned): kept
 * like a `const` while their text is unchanged, so importers, `instanceof` and `design:paramtypes` keep
 * meeting one class across swaps of the module; an edited one is a new class (reported as changed).
 */
export function plainClasses(
  program: ESTree.Program,
  scope: ModuleScope,
  reloadable: ReadonlySet<string>,
): PlainClass[] {
  const out: PlainClass[] = []
  for (const stmt of program.body) {
    const cls = stmt.type === 'ExportNamedDeclaration' ? stmt.declaration : stmt
    if (cls?.type !== 'ClassDeclaration' || !cls.id) continue
    const binding = scope.bindings.get(cls.id.name)
    if (!binding || binding.refs.some((r) => r.write) || reloadable.has(cls.id.name)) continue
    out.push({ stmt, cls: cls as PlainClass['cls'] })
  }
  return out
}

export function defaultData(program: ESTree.Program, scope: ModuleScope): DefaultData | undefined {
  const stmt = program.body.find((n) => n.type === 'ExportDefaultDeclaration')
  const value = stmt?.declaration
  if (!stmt || !value || (value.type !== 'ObjectExpression' && value.type !== 'ArrayExpression')) return undefined
  if (scope.bindings.has('default')) return undefined
  return { stmt, value }
}

export function exportFacts(program: ESTree.Program): ExportFacts {
  const out: ExportFacts = { reexports: false, defaults: [] }
  for (const stmt of program.body) {
    if (stmt.type === 'ExportAllDeclaration') out.reexports = true
    if (stmt.type === 'ExportNamedDeclaration' && stmt.source) out.reexports = true
    if (stmt.type === 'ExportDefaultDeclaration') {
      const decl = stmt.declaration
      const id = decl.type === 'Identifier' ? decl : 'id' in decl ? decl.id : undefined
      out.defaults.push({ local: id?.type === 'Identifier' ? id.name : undefined })
    }
  }
  return out
}
