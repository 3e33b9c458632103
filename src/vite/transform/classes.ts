import { lowerStatic, rewritePrivateReceivers } from './class-statics.ts'
import type { TransformContext } from './index.ts'
import type { Node } from './names.ts'

/**
 * The lowering of reloadable classes, on Oxc's output (legacy decorators already lowered to
 * `X = _X = _decorate([reloadable(), ...], X)`, or a direct `reloadable()(class { ... })`).
 *
 * Oxc runs static initialisers, static blocks and the decorators written below `@reloadable()` against
 * the raw class, before the decorator returns the live one. This pass gives the body the live class
 * first: a static block at the top calls `__class.open(this, decorator, info)`, whose result the body's
 * self-references (Oxc's `_X`) and the `this` of static initialisers and blocks are rewritten to, and
 * the member and class decorators are pointed at it too. Each static field becomes
 * `__class.want(C, key, hash) && __class.define(C, key, value)`: an unedited declaration keeps its
 * runtime value (of any type) and is not evaluated again; a static block runs again only when edited;
 * `static #x` gets closures so an unedited one keeps its value. The decorator, applied last, closes the
 * definition. Facts for the core (instance `#private` names, the class's name and line) go in `info`.
 */

interface Target {
  /** The class binding (`Enemy`), or the variable a direct call is assigned to. */
  binding: string
  cls: Node
  /** The statement holding the class, where variables the pass needs are declared before it. */
  statement: Node
  /** The `reloadable(...)` call. */
  call: Node
  /** Oxc's name for the class inside its methods, assigned with the declaration (`let X = _X = class`). */
  alias?: { name: string; start: number }
  /** `_decorate([...], X)`: the class decorator call (legacy shape), whose target is the live class. */
  decorate: Node | undefined
  /** A direct `reloadable(...)(class ...)`: the outer call. */
  direct: Node | undefined
}

function isCallOf(node: Node | null | undefined, name: string): boolean {
  return (
    node?.type === 'CallExpression' &&
    (node['callee'] as Node).type === 'Identifier' &&
    (node['callee'] as Node)['name'] === name
  )
}

/** `X = _X = _decorate([...reloadable(...)...], X)`: the decorate call, its reloadable element and target. */
function decorateStatement(stmt: Node, name: string): { call: Node; decorate: Node; target: string } | undefined {
  if (stmt.type !== 'ExpressionStatement') return undefined
  let expr = stmt['expression'] as Node
  while (expr.type === 'AssignmentExpression') expr = expr['right'] as Node
  if (expr.type !== 'CallExpression') return undefined
  const [list, target] = expr['arguments'] as Node[]
  if (list?.type !== 'ArrayExpression' || target?.type !== 'Identifier') return undefined
  const call = (list['elements'] as Array<Node | null>).find((el) => isCallOf(el, name))
  return call ? { call, decorate: expr, target: target['name'] as string } : undefined
}

/** The top-level classes by binding: `let X = class X {}`, `class X {}`, with their statements. */
function topClasses(
  program: Node,
): Map<string, { cls: Node; statement: Node; alias?: { name: string; start: number } }> {
  const out = new Map<string, { cls: Node; statement: Node; alias?: { name: string; start: number } }>()
  for (const stmt of program['body'] as Node[]) {
    const decl = stmt.type.startsWith('Export') ? ((stmt['declaration'] as Node | null) ?? undefined) : stmt
    if (!decl) continue
    if (decl.type === 'ClassDeclaration' && decl['id'])
      out.set((decl['id'] as Node)['name'] as string, { cls: decl, statement: stmt })
    if (decl.type !== 'VariableDeclaration') continue
    for (const d of decl['declarations'] as Node[]) {
      // `let X = class X {}`, or `let X = _X = class X {}` (Oxc names the class for its methods this way).
      let init = d['init'] as Node | null
      let alias: { name: string; start: number } | undefined
      while (init?.type === 'AssignmentExpression' && (init['left'] as Node).type === 'Identifier') {
        alias ??= { name: (init['left'] as Node)['name'] as string, start: init.start }
        init = init['right'] as Node
      }
      if (init?.type === 'ClassExpression' && (d['id'] as Node).type === 'Identifier')
        out.set((d['id'] as Node)['name'] as string, { cls: init, statement: stmt, ...(alias && { alias }) })
    }
  }
  return out
}

/** Direct calls at top level: `const Red = reloadable()(class { ... })`, `export default reloadable()(class ...)`. */
function directCalls(program: Node, name: string): Target[] {
  const out: Target[] = []
  let anonymous = 0
  for (const stmt of program['body'] as Node[]) {
    const decl = stmt.type.startsWith('Export') ? ((stmt['declaration'] as Node | null) ?? undefined) : stmt
    if (!decl) continue
    const candidates: Array<[string, Node]> = []
    if (decl.type === 'VariableDeclaration') {
      for (const d of decl['declarations'] as Node[]) {
        if ((d['id'] as Node).type === 'Identifier' && d['init'])
          candidates.push([(d['id'] as Node)['name'] as string, d['init'] as Node])
      }
    } else if (stmt.type === 'ExportDefaultDeclaration') candidates.push(['default', decl])
    for (const [binding, init] of candidates) {
      if (init.type !== 'CallExpression' || !isCallOf(init['callee'] as Node, name)) continue
      const [cls] = init['arguments'] as Node[]
      if (cls?.type !== 'ClassExpression') continue
      const clsName = (cls['id'] as Node | null)?.['name'] as string | undefined
      out.push({
        binding: clsName ?? (binding === 'default' ? `default${anonymous++ || ''}` : binding),
        cls,
        statement: stmt,
        call: init['callee'] as Node,
        decorate: undefined,
        direct: init,
      })
    }
  }
  return out
}

function findTargets(ctx: TransformContext, name: string): Target[] {
  const program = ctx.ast as unknown as Node
  const classes = topClasses(program)
  const out: Target[] = []
  for (const stmt of program['body'] as Node[]) {
    const found = decorateStatement(stmt, name)
    const cls = found && classes.get(found.target)
    if (!found || !cls) continue
    out.push({ binding: found.target, ...cls, call: found.call, decorate: found.decorate, direct: undefined })
  }
  return [...out, ...directCalls(program, name)]
}

/** `static { _X = this; }`: where Oxc gives the body its name for the class. */
function aliasBlock(el: Node | undefined): string | undefined {
  if (el?.type !== 'StaticBlock') return undefined
  const body = el['body'] as Node[]
  const expr =
    body.length === 1 && body[0]!.type === 'ExpressionStatement' ? (body[0]!['expression'] as Node) : undefined
  if (expr?.type !== 'AssignmentExpression' || (expr['right'] as Node).type !== 'ThisExpression') return undefined
  const left = expr['left'] as Node
  return left.type === 'Identifier' ? (left['name'] as string) : undefined
}

/** Instance `#private` names, written as the source wrote them (`accessor hp` for Oxc's storage field). */
function instancePrivates(elements: Node[]): string[] {
  const out: string[] = []
  for (const el of elements) {
    if (el['static'] || (el['key'] as Node | undefined)?.type !== 'PrivateIdentifier') continue
    const name = (el['key'] as Node)['name'] as string
    const accessor = /^_(.+)_accessor_storage$/.exec(name)
    out.push(accessor ? `accessor ${accessor[1]}` : `#${name}`)
  }
  return out
}

/** Rewrite every reloadable class of the module; returns the calls it handled (the module-id pass skips them). */
export function classesPass(ctx: TransformContext): void {
  if (!ctx.reloadableName) return
  const targets = findTargets(ctx, ctx.reloadableName)
  if (targets.length === 0) return
  let prefix = '__hcc'
  for (let i = 1; ctx.code.includes(prefix); i++) prefix = `__hcc${i}`
  const api = `${prefix}class`
  const declared: string[] = []
  const before = new Map<Node, string[]>()
  for (const t of targets) {
    const vars = lowerClass(ctx, t, prefix, api, declared.length)
    declared.push(...vars)
    before.set(t.statement, [...(before.get(t.statement) ?? []), ...vars])
    ctx.loweredCalls.add(t.call)
  }
  for (const [stmt, vars] of before) if (vars.length > 0) ctx.s.prependLeft(stmt.start, `var ${vars.join(', ')};\n`)
  ctx.s.prepend(`import { __class as ${api} } from "hotclass";\n`)
}

function lowerClass(ctx: TransformContext, t: Target, prefix: string, api: string, n: number): string[] {
  const s = ctx.s
  const vars: string[] = []
  const body = t.cls['body'] as Node
  const elements = body['body'] as Node[]
  const oxcAlias = aliasBlock(elements[0])
  // Either alias is set to the raw class before the body runs; the open block sets it to the live one.
  const live = oxcAlias ?? t.alias?.name ?? `${prefix}c${n}`
  if (!oxcAlias && !t.alias) vars.push(live)
  // `let X = _X = class X {}` would set the alias back to the raw class once the body is done: the open
  // block sets it to the live class, and nothing else may.
  if (t.alias) s.remove(t.alias.start, t.cls.start)
  const decorator = `${prefix}d${n}`
  vars.push(decorator)
  const staticPrivates = new Set(
    elements
      .filter((el) => el['static'] && (el['key'] as Node | undefined)?.type === 'PrivateIdentifier')
      .map((el) => (el['key'] as Node)['name'] as string),
  )
  const raw = `${prefix}r${n}`
  if (staticPrivates.size > 0) vars.push(raw)

  const extras = ctx.classInfo.get(t.binding) ?? []
  const info = [
    `module: ${JSON.stringify(ctx.id)}`,
    `name: ${JSON.stringify(t.binding)}`,
    `privates: ${JSON.stringify(instancePrivates(elements))}`,
    ...extras,
  ]
  const callText = s.slice(t.call.start, t.call.end)
  let open: string
  if (t.direct) {
    s.overwrite(t.call.start, t.call.end, `(${decorator} = ${callText})`)
    open = `${live} = ${api}.open(this, ${decorator}, { ${info.join(', ')} });`
  } else {
    s.overwrite(t.call.start, t.call.end, decorator)
    open = `${live} = ${api}.open(this, ${decorator} = ${callText}, { ${info.join(', ')} });`
    // The class decorators (the ones below `@reloadable()` first) get the live class.
    const target = (t.decorate!['arguments'] as Node[])[1]!
    s.overwrite(target.start, target.end, live)
  }
  const first = `static { ${staticPrivates.size > 0 ? `${raw} = this; ` : ''}${open} }`
  if (oxcAlias) s.overwrite(elements[0]!.start, elements[0]!.end, first)
  else s.appendLeft(body.start + 1, `\n${first}`)

  const keyVar = (): string => {
    const name = `${prefix}k${n}_${vars.length}`
    vars.push(name)
    return name
  }
  for (const el of oxcAlias ? elements.slice(1) : elements) lowerStatic(ctx, el, live, api, keyVar)
  if (staticPrivates.size > 0) rewritePrivateReceivers(ctx, body, staticPrivates, live, raw)
  retargetMemberDecorators(ctx, t.binding, live)
  return vars
}

/** `_decorate([...], X.prototype, "k")` and `_decorate([...], X, "k")`: member decorators act on the live class. */
function retargetMemberDecorators(ctx: TransformContext, binding: string, live: string): void {
  for (const stmt of ctx.ast.body as unknown as Node[]) {
    if (stmt.type !== 'ExpressionStatement') continue
    const call = stmt['expression'] as Node
    if (call.type !== 'CallExpression') continue
    const args = call['arguments'] as Node[]
    if (args.length < 3 || args[0]!.type !== 'ArrayExpression') continue
    const target = args[1]!
    const id =
      target.type === 'Identifier'
        ? target
        : target.type === 'MemberExpression' && (target['property'] as Node)['name'] === 'prototype'
          ? (target['object'] as Node)
          : undefined
    if (id?.type === 'Identifier' && id['name'] === binding) ctx.s.overwrite(id.start, id.end, live)
  }
}
