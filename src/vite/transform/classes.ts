import type { ESTree } from 'vite'
import { lowerStatic, moduleInputs, rewritePrivateReceivers } from './class-statics.ts'
import { infoProperties } from './context.ts'
import type { TransformContext } from './context.ts'
import { hashText } from './hash.ts'
import { freshName } from './names.ts'
import type { ReloadableClass, TopStatement } from './reloadable-classes.ts'

/**
 * The lowering of reloadable classes, on Oxc's output (legacy decorators already lowered to
 * `X = _X = _decorate([reloadable(), ...], X)`, or a direct `reloadable()(class { ... })`).
 *
 * Oxc runs static initialisers, static blocks and the decorators written below `@reloadable()` against
 * the raw class, before the decorator returns the live one. This emitter gives the body the live class
 * first: a static block at the top calls `__class.open(this, decorator, info)`, whose result the body's
 * self-references (Oxc's `_X`) and the `this` of static initialisers and blocks are rewritten to, and
 * the member and class decorators are pointed at it too. Each static field becomes
 * `__class.want(C, key, hash) && __class.define(C, key, value)`: an unedited declaration keeps its
 * runtime value (of any type) and is not evaluated again; a static block runs again only when edited;
 * `static #x` gets closures so an unedited one keeps its value. The decorator, applied last, closes the
 * definition. Facts for the core (instance `#private` names, the class's name and line) go in `info`.
 */

/** `static { _X = this; }`: where Oxc gives the body its name for the class. */
function aliasBlock(el: ESTree.ClassElement | undefined): string | undefined {
  if (el?.type !== 'StaticBlock') return undefined
  const [stmt] = el.body
  const expr = el.body.length === 1 && stmt?.type === 'ExpressionStatement' ? stmt.expression : undefined
  if (expr?.type !== 'AssignmentExpression' || expr.right.type !== 'ThisExpression') return undefined
  return expr.left.type === 'Identifier' ? expr.left.name : undefined
}

/** Instance `#private` names, written as the source wrote them (`accessor hp` for Oxc's storage field). */
function instancePrivates(elements: ESTree.ClassElement[]): string[] {
  const out: string[] = []
  for (const el of elements) {
    if (el.type === 'StaticBlock' || el.type === 'TSIndexSignature') continue
    if (el.static || el.key.type !== 'PrivateIdentifier') continue
    const name = el.key.name
    const accessor = /^_(.+)_accessor_storage$/.exec(name)
    out.push(accessor ? `accessor ${accessor[1]}` : `#${name}`)
  }
  return out
}

function staticPrivateNames(elements: ESTree.ClassElement[]): Set<string> {
  const out = new Set<string>()
  for (const el of elements)
    if (el.type === 'StaticBlock' || el.type === 'TSIndexSignature') continue
    else if (el.static && el.key.type === 'PrivateIdentifier') out.add(el.key.name)
  return out
}

/** A class element's key as the core names it, or undefined when only evaluation knows it (computed, `#private`). */
function elementKey(el: ESTree.ClassElement): string | undefined {
  if (el.type === 'StaticBlock' || el.type === 'TSIndexSignature' || el.computed) return undefined
  const key = el.key
  if (key.type === 'Identifier') return key.name
  if (key.type === 'Literal' && (typeof key.value === 'string' || typeof key.value === 'number'))
    return String(key.value)
  return undefined
}

/**
 * Digests of the class's methods, accessors and instance fields as written, by key (`static:` and `field:`
 * prefixed), with the member decorator statements that name them. The core reports a member as changed by
 * these when both versions have them (core/patch.ts): how a version was evaluated changes a method's
 * source text (Vite's module runner reads an import as `__vite_ssr_import_0__.default`, a module as
 * `gsap`), not what was written.
 */
function memberDigests(ctx: TransformContext, elements: ESTree.ClassElement[], decorators: string[]): string {
  const texts = new Map<string, string[]>()
  for (const el of elements) {
    const name = elementKey(el)
    if (name === undefined) continue
    let key: string
    if (el.type === 'MethodDefinition') key = el.static ? `static:${name}` : name
    else if (el.type === 'PropertyDefinition' && !el.static) key = `field:${name}`
    else continue
    const list = texts.get(key) ?? []
    list.push(ctx.code.slice(el.start, el.end))
    texts.set(key, list)
  }
  const out: Record<string, string> = {}
  for (const [key, list] of texts) {
    const name = JSON.stringify(key.replace(/^(static|field):/, ''))
    const named = decorators.filter((text) => text.includes(name))
    out[key] = hashText([...list, ...named].join('\u0000'))
  }
  return JSON.stringify(out)
}

/** Lower every reloadable class of the module; the calls it handled are left alone by the module-id emitter. */
export function classesEmitter(ctx: TransformContext): void {
  const targets = ctx.a.reloadableClasses
  if (targets.length === 0) return
  const prefix = freshName(ctx.code, '__hcc')
  const api = `${prefix}class`
  const declared: string[] = []
  const before = new Map<TopStatement, string[]>()
  for (const t of targets) {
    const vars = lowerClass(ctx, t, prefix, api, declared.length)
    declared.push(...vars)
    before.set(t.statement, [...(before.get(t.statement) ?? []), ...vars])
    ctx.loweredCalls.add(t.call)
  }
  for (const [stmt, vars] of before) if (vars.length > 0) ctx.s.prependLeft(stmt.start, `var ${vars.join(', ')};\n`)
  ctx.s.prepend(`import { __class as ${api} } from "hotclass";\n`)
}

function lowerClass(ctx: TransformContext, t: ReloadableClass, prefix: string, api: string, n: number): string[] {
  const s = ctx.s
  const vars: string[] = []
  const body = t.cls.body
  const elements = body.body
  const oxcAlias = aliasBlock(elements[0])
  // Either alias is set to the raw class before the body runs; the open block sets it to the live one.
  const live = oxcAlias ?? t.alias?.name ?? `${prefix}c${n}`
  if (!oxcAlias && !t.alias) vars.push(live)
  // `let X = _X = class X {}` would set the alias back to the raw class once the body is done: the open
  // block sets it to the live class, and nothing else may.
  if (t.alias) s.remove(t.alias.start, t.cls.start)
  const decorator = `${prefix}d${n}`
  vars.push(decorator)
  const staticPrivates = staticPrivateNames(elements)
  const raw = `${prefix}r${n}`
  if (staticPrivates.size > 0) vars.push(raw)

  // The other class decorators (`_decorate([register, reloadable(), ...], X)`), by their text: the core
  // runs them again only when it changed (core/define.ts `classDecorators`).
  const list = t.direct ? undefined : t.decorate!.arguments[0]
  const others = list?.type === 'ArrayExpression' ? list.elements.filter((el) => el !== null) : []
  const index = others.findIndex((el) => el.start <= t.call.start && t.call.end <= el.end)
  // What they read counts too: a module constant (`@tag(NAME)`), and the member decorators whose metadata a
  // class decorator may collect (`@controller` gathering `@route`s): their statements' text.
  const memberDecorators = ctx.a.program.body.filter((stmt) =>
    t.memberTargets.some((id) => stmt.start <= id.start && id.end <= stmt.end),
  )
  const othersText = others
    .filter((_, i) => i !== index)
    .map((el) => ctx.code.slice(el.start, el.end) + moduleInputs(ctx, el))
    .concat(memberDecorators.map((stmt) => ctx.code.slice(stmt.start, stmt.end)))
  const info = [
    `module: ${JSON.stringify(ctx.id)}`,
    `name: ${JSON.stringify(t.binding)}`,
    `privates: ${JSON.stringify(instancePrivates(elements))}`,
    ...infoProperties(ctx.classInfo.get(t.binding)),
    `members: ${memberDigests(
      ctx,
      elements,
      memberDecorators.map((stmt) => ctx.code.slice(stmt.start, stmt.end)),
    )}`,
    ...(index >= 0 && othersText.length > 0
      ? [`classDecorators: ${JSON.stringify(hashText(othersText.join('\u0000')))}`]
      : []),
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
    const target = t.decorate!.arguments[1]!
    s.overwrite(target.start, target.end, live)
    if (index >= 0 && othersText.length > 0) {
      s.appendLeft(list!.start, `${api}.decorators(${live}, `)
      s.prependRight(list!.end, `, ${index})`)
    }
  }
  const first = `static { ${staticPrivates.size > 0 ? `${raw} = this; ` : ''}${open} }`
  if (oxcAlias) s.overwrite(elements[0]!.start, elements[0]!.end, first)
  else s.appendLeft(body.start + 1, `\n${first}`)

  const keyVar = (): string => {
    const name = `${prefix}k${n}_${vars.length}`
    vars.push(name)
    return name
  }
  for (const el of oxcAlias ? elements.slice(1) : elements)
    lowerStatic(ctx, el, live, api, keyVar, { binding: t.binding, elements })
  if (staticPrivates.size > 0) rewritePrivateReceivers(ctx, body, staticPrivates, live, raw)
  // `_decorate([...], X.prototype, "k")` and `_decorate([...], X, "k")`: member decorators act on the live class.
  for (const id of t.memberTargets) s.overwrite(id.start, id.end, live)
  return vars
}
