import type { ESTree } from 'vite'

/**
 * Where the reloadable classes of a module stand in Oxc's output: legacy decorators lowered to
 * `X = _X = _decorate([reloadable(), ...], X)`, or a direct `reloadable()(class { ... })`. Read from the
 * program body only: these are top-level statements.
 */

export type TopStatement = ESTree.Program['body'][number]

/** Oxc's name for the class inside its methods, assigned with the declaration (`let X = _X = class`). */
export interface ClassAlias {
  name: string
  start: number
}

export interface ReloadableClass {
  /** The class binding (`Enemy`), or the variable a direct call is assigned to. */
  binding: string
  cls: ESTree.Class
  /** The statement holding the class, where variables the lowering needs are declared before it. */
  statement: TopStatement
  /** The `reloadable(...)` call. */
  call: ESTree.CallExpression
  alias?: ClassAlias
  /** `_decorate([...], X)`: the class decorator call (legacy shape), whose target is the live class. */
  decorate: ESTree.CallExpression | undefined
  /** A direct `reloadable(...)(class ...)`: the outer call. */
  direct: ESTree.CallExpression | undefined
  /** `_decorate([...], X.prototype, "k")` and `_decorate([...], X, "k")`: the `X` member decorators act on. */
  memberTargets: ESTree.IdentifierReference[]
}

/** A call of the function bound to `name`: `reloadable(...)` under whatever local name it was imported as. */
export function isCallOf(node: ESTree.Node | null | undefined, name: string): node is ESTree.CallExpression {
  return node?.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === name
}

/** The declaration an export statement wraps, or the statement itself. */
export function declarationOf(stmt: TopStatement): ESTree.Node | undefined {
  if (stmt.type === 'ExportNamedDeclaration' || stmt.type === 'ExportDefaultDeclaration')
    return stmt.declaration ?? undefined
  if (stmt.type === 'ExportAllDeclaration') return undefined
  return stmt
}

/** `X = _X = _decorate([...reloadable(...)...], X)`: the decorate call, its reloadable element and target. */
function decorateStatement(
  stmt: TopStatement,
  name: string,
): { call: ESTree.CallExpression; decorate: ESTree.CallExpression; target: string } | undefined {
  if (stmt.type !== 'ExpressionStatement') return undefined
  let expr = stmt.expression
  while (expr.type === 'AssignmentExpression') expr = expr.right
  if (expr.type !== 'CallExpression') return undefined
  const [list, target] = expr.arguments
  if (list?.type !== 'ArrayExpression' || target?.type !== 'Identifier') return undefined
  const call = list.elements.find((el) => isCallOf(el, name)) as ESTree.CallExpression | undefined
  return call ? { call, decorate: expr, target: target.name } : undefined
}

interface TopClass {
  cls: ESTree.Class
  statement: TopStatement
  alias?: ClassAlias
}

/** The top-level classes by binding: `let X = class X {}`, `class X {}`, with their statements. */
function topClasses(program: ESTree.Program): Map<string, TopClass> {
  const out = new Map<string, TopClass>()
  for (const stmt of program.body) {
    const decl = declarationOf(stmt)
    if (!decl) continue
    if (decl.type === 'ClassDeclaration' && decl.id) out.set(decl.id.name, { cls: decl, statement: stmt })
    if (decl.type !== 'VariableDeclaration') continue
    for (const d of decl.declarations) {
      // `let X = class X {}`, or `let X = _X = class X {}` (Oxc names the class for its methods this way).
      let init = d.init
      let alias: ClassAlias | undefined
      while (init?.type === 'AssignmentExpression' && init.left.type === 'Identifier') {
        alias ??= { name: init.left.name, start: init.start }
        init = init.right
      }
      if (init?.type === 'ClassExpression' && d.id.type === 'Identifier')
        out.set(d.id.name, { cls: init, statement: stmt, ...(alias && { alias }) })
    }
  }
  return out
}

/** Direct calls at top level: `const Red = reloadable()(class { ... })`, `export default reloadable()(class ...)`. */
function directCalls(program: ESTree.Program, name: string): ReloadableClass[] {
  const out: ReloadableClass[] = []
  let anonymous = 0
  for (const stmt of program.body) {
    const decl = declarationOf(stmt)
    if (!decl) continue
    const candidates: Array<[string, ESTree.Node]> = []
    if (decl.type === 'VariableDeclaration') {
      for (const d of decl.declarations) if (d.id.type === 'Identifier' && d.init) candidates.push([d.id.name, d.init])
    } else if (stmt.type === 'ExportDefaultDeclaration') candidates.push(['default', decl])
    for (const [binding, init] of candidates) {
      if (init.type !== 'CallExpression' || !isCallOf(init.callee, name)) continue
      const [cls] = init.arguments
      if (cls?.type !== 'ClassExpression') continue
      out.push({
        binding: cls.id?.name ?? (binding === 'default' ? `default${anonymous++ || ''}` : binding),
        cls,
        statement: stmt,
        call: init.callee,
        decorate: undefined,
        direct: init,
        memberTargets: [],
      })
    }
  }
  return out
}

/** The classes a module applies the decorator (imported as `name`) to, in the order the lowering visits them. */
export function findReloadableClasses(program: ESTree.Program, name: string): ReloadableClass[] {
  const classes = topClasses(program)
  const out: ReloadableClass[] = []
  for (const stmt of program.body) {
    const found = decorateStatement(stmt, name)
    const cls = found && classes.get(found.target)
    if (!found || !cls) continue
    out.push({
      binding: found.target,
      ...cls,
      call: found.call,
      decorate: found.decorate,
      direct: undefined,
      memberTargets: [],
    })
  }
  const all = [...out, ...directCalls(program, name)]
  if (all.length > 0) noteMemberTargets(program, all)
  return all
}

/** `_decorate([...], X.prototype, "k")` and `_decorate([...], X, "k")`: member decorators act on the live class. */
function noteMemberTargets(program: ESTree.Program, classes: ReloadableClass[]): void {
  const byBinding = new Map<string, ReloadableClass[]>()
  for (const c of classes) byBinding.set(c.binding, [...(byBinding.get(c.binding) ?? []), c])
  for (const stmt of program.body) {
    if (stmt.type !== 'ExpressionStatement') continue
    const call = stmt.expression
    if (call.type !== 'CallExpression') continue
    const args = call.arguments
    if (args.length < 3 || args[0]!.type !== 'ArrayExpression') continue
    const target = args[1]!
    const id =
      target.type === 'Identifier'
        ? target
        : target.type === 'MemberExpression' &&
            target.property.type === 'Identifier' &&
            target.property.name === 'prototype'
          ? target.object
          : undefined
    if (id?.type !== 'Identifier') continue
    for (const c of byBinding.get(id.name) ?? []) c.memberTargets.push(id)
  }
}

/**
 * The classes bound to each name, `class X {}` or Oxc's `let X = class X {}`, whose bodies instance
 * fields are read from (in this module, or in its define-semantics twin).
 */
export function namedClasses(program: ESTree.Program): Map<string, ESTree.Class> {
  const out = new Map<string, ESTree.Class>()
  for (const stmt of program.body) {
    const decl = declarationOf(stmt)
    if (!decl || stmt.type === 'ExportAllDeclaration') continue
    if (decl.type === 'ClassDeclaration' && decl.id) out.set(decl.id.name, decl)
    if (decl.type !== 'VariableDeclaration') continue
    for (const d of decl.declarations) {
      let init = d.init
      // `let X = _X = class X {}`: Oxc names the class for its methods this way.
      while (init?.type === 'AssignmentExpression') init = init.right
      if (init?.type === 'ClassExpression' && d.id.type === 'Identifier') out.set(d.id.name, init)
    }
  }
  return out
}
