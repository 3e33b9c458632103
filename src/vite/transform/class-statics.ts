import type { ESTree } from 'vite'
import type { TransformContext } from './context.ts'
import { hashText } from './hash.ts'
import { refsWithin } from './scope.ts'
import { walk } from './walk.ts'

/**
 * The static side of a reloadable class's body, lowered (see classes.ts): each static field becomes a
 * declaration onto the live class that an unedited text skips, each static block runs again only when
 * edited, `static #x` carries its value over, and `this`/`super` in static initialisers mean the live
 * class. These walk one static initialiser or one class body (the analysis has no facts this local).
 */

/**
 * `this` of a static initialiser or block, outside nested functions and classes, becomes the live class;
 * so does the receiver of `super.x` there (`static { super.register() }` registers the live class).
 */
function rewriteThis(ctx: TransformContext, node: ESTree.Node, live: string): void {
  const superGet = (m: ESTree.MemberExpression): string | undefined => {
    const property = m.property
    if (property.type === 'PrivateIdentifier') return undefined
    const key = m.computed
      ? ctx.s.slice(property.start, property.end)
      : JSON.stringify(property.type === 'Identifier' ? property.name : undefined)
    return `Reflect.get(Object.getPrototypeOf(${live}), ${key}, ${live})`
  }
  walk(node, (n) => {
    if (n.type === 'FunctionExpression' || n.type === 'FunctionDeclaration' || n.type.startsWith('Class')) return false
    if (n.type === 'ThisExpression') ctx.s.overwrite(n.start, n.end, live)
    const callee = n.type === 'CallExpression' ? n.callee : undefined
    if (n.type === 'CallExpression' && callee?.type === 'MemberExpression' && callee.object.type === 'Super') {
      const get = superGet(callee)
      if (!get) return true
      const args = n.arguments
      ctx.s.overwrite(callee.start, callee.end, `${get}.call`)
      ctx.s.appendLeft(args[0]?.start ?? n.end - 1, args.length > 0 ? `${live}, ` : live)
      for (const arg of args) rewriteThis(ctx, arg, live)
      return false
    }
    if (n.type === 'MemberExpression' && n.object.type === 'Super') {
      const get = superGet(n)
      if (get) ctx.s.overwrite(n.start, n.end, get)
      return false
    }
    return true
  })
}

function keyText(key: ESTree.Node, computed: boolean): string | undefined {
  if (computed) return undefined
  if (key.type === 'Identifier') return JSON.stringify(key.name)
  if (key.type === 'Literal' && (typeof key.value === 'string' || typeof key.value === 'number'))
    return JSON.stringify(String(key.value))
  return undefined
}

/** `this.K = V;` alone in a static block: Oxc's lowering of a static field under `useDefineForClassFields: false`. */
function assignedStatic(
  block: ESTree.StaticBlock,
): { key: string; value: ESTree.Expression; stmt: ESTree.Statement } | undefined {
  const [stmt] = block.body
  if (block.body.length !== 1 || stmt?.type !== 'ExpressionStatement') return undefined
  const expr = stmt.expression
  if (expr.type !== 'AssignmentExpression' || expr.operator !== '=') return undefined
  const left = expr.left
  if (left.type !== 'MemberExpression' || left.object.type !== 'ThisExpression') return undefined
  const key = keyText(left.property, left.computed)
  return key ? { key, value: expr.right, stmt } : undefined
}

/** Whether a value is an anonymous function or class definition, which a field names after itself. */
function isAnonymousDefinition(value: ESTree.Expression | null): boolean {
  if (!value) return false
  if (value.type === 'ArrowFunctionExpression') return true
  return (value.type === 'FunctionExpression' || value.type === 'ClassExpression') && !value.id
}

/**
 * The declarations a static's value is made from, besides its own text: the module's variables it reads
 * (`static SPEED = BASE * 2`) and the class's other statics (`static MAX = this.SIZE * 4`). An edit of one
 * of those is an edit of the static (a cold load would compute it from the new one), while a value the
 * game changed at run time stays, as for any unedited declaration. The same rule as module state's deps
 * (module-state.ts `keepCall`): functions and classes are code, not inputs.
 */
function dependencyText(
  ctx: TransformContext,
  el: ESTree.PropertyDefinition | ESTree.StaticBlock,
  value: ESTree.Expression | null,
  own: OwnClass,
): string {
  if (!value) return ''
  const parts = [moduleInputs(ctx, value)]
  // The statics it reads (`this.SIZE`, `C.SIZE`, `super.SPEED`, `Cfg.Y` of a class in this module), and
  // what those read in turn: each read is looked up in its class, then up that class's bases here.
  const taken = new Set<ESTree.ClassElement>([el])
  const pending = staticReads(ctx, value, own.binding, own.binding)
  for (let read = pending.pop(); read; read = pending.pop()) {
    for (let cls = read.from; cls !== undefined; cls = baseOf(ctx, cls)) {
      const found = classElements(ctx, cls, own)?.find((e) => staticDeclared(e)?.key === read!.name)
      if (!found) continue
      if (!taken.has(found)) {
        taken.add(found)
        const declared = staticDeclared(found)!
        parts.push(`\u0002${ctx.code.slice(found.start, found.end)}`, moduleInputs(ctx, declared.value))
        if (declared.value) pending.push(...staticReads(ctx, declared.value, cls, own.binding))
      }
      break
    }
  }
  return parts.join('')
}

/** The class a static is declared in: its binding, its elements and the binding of its base, if any. */
export interface OwnClass {
  binding: string
  elements: readonly ESTree.ClassElement[]
}

/** A class of this module by binding (the class being lowered too, whose elements the caller has). */
function classElements(ctx: TransformContext, name: string, own: OwnClass): readonly ESTree.ClassElement[] | undefined {
  if (name === own.binding) return own.elements
  return classNode(ctx, name)?.body.body
}

function classNode(ctx: TransformContext, name: string): ESTree.Class | undefined {
  return (
    ctx.a.reloadableClasses.find((c) => c.binding === name)?.cls ??
    ctx.a.plainClasses.find((p) => p.cls.id.name === name)?.cls
  )
}

/** The binding of a module class's base, when it is a class of this module named by an identifier. */
function baseOf(ctx: TransformContext, name: string): string | undefined {
  const base = classNode(ctx, name)?.superClass
  return base?.type === 'Identifier' && classNode(ctx, base.name) ? base.name : undefined
}

/** The module variables an expression reads, and those they are made from, as declaration texts. */
export function moduleInputs(ctx: TransformContext, value: ESTree.Node | null): string {
  if (!value) return ''
  const parts: string[] = []
  const seen = new Set<string>()
  const ranges: Array<[number, number]> = [[value.start, value.end]]
  for (let range = ranges.pop(); range; range = ranges.pop()) {
    for (const ref of refsWithin(ctx.a.scope.refs, range[0], range[1])) {
      const b = ctx.a.scope.bindings.get(ref.name)
      if (!b?.node || seen.has(b.name) || ctx.a.classBindings.has(b.name)) continue
      if (b.kind !== 'const' && b.kind !== 'let' && b.kind !== 'var') continue
      seen.add(b.name)
      parts.push(`\u0001${ctx.code.slice(b.node.start, b.node.end)}`)
      ranges.push([b.node.start, b.node.end])
    }
  }
  return parts.join('')
}

/**
 * The static reads of an expression, each with the class to look it up in: `this.X` and the class's own
 * aliases in `self`, `super.X` in its base, `Other.X` in that class of this module.
 */
function staticReads(
  ctx: TransformContext,
  value: ESTree.Node,
  self: string,
  own: string,
): Array<{ from: string | undefined; name: string }> {
  const out: Array<{ from: string | undefined; name: string }> = []
  walk(value, (n) => {
    if (n.type === 'FunctionExpression' || n.type === 'ClassExpression') return false
    if (n.type !== 'MemberExpression' || n.computed || n.property.type !== 'Identifier') return
    const object = n.object
    const name = n.property.name
    if (object.type === 'ThisExpression') out.push({ from: self, name })
    else if (object.type === 'Super') out.push({ from: baseOf(ctx, self), name })
    else if (object.type === 'Identifier' && ctx.a.classBindings.has(object.name))
      out.push({ from: classNode(ctx, object.name) && object.name !== own ? object.name : self, name })
  })
  return out
}

/** The key and value a static element declares: `static X = v`, or `static { this.X = v }` (assign semantics). */
function staticDeclared(el: ESTree.ClassElement): { key: string; value: ESTree.Expression | null } | undefined {
  if (el.type === 'PropertyDefinition')
    return el.static && !el.computed && el.key.type === 'Identifier' ? { key: el.key.name, value: el.value } : undefined
  if (el.type !== 'StaticBlock') return undefined
  const assigned = assignedStatic(el)
  return assigned ? { key: JSON.parse(assigned.key) as string, value: assigned.value } : undefined
}

/**
 * The digest of a static declaration. Oxc names a class's self-reference `_X`, `_X2`, ... in order of
 * need across the module, so the same declaration can read `new _Level2()` in one version and
 * `new _Level()` in the next: the class's own alias counts as one name.
 */
function declarationHash(
  ctx: TransformContext,
  el: ESTree.PropertyDefinition | ESTree.StaticBlock,
  live: string,
  own: OwnClass,
  value: ESTree.Expression | null,
): string {
  // Oxc's decorator lowering moves a decorated member's computed key into a temporary
  // (`static [_SYM = SYM] = 2`), so adding or removing a decorator would read as an edit of the value.
  const key = el.type === 'PropertyDefinition' && el.computed ? el.key : undefined
  const aliased =
    key?.type === 'AssignmentExpression' && key.left.type === 'Identifier' && key.left.name.startsWith('_')
      ? key
      : undefined
  let text = aliased
    ? ctx.code.slice(el.start, aliased.start) +
      ctx.code.slice(aliased.right.start, aliased.right.end) +
      ctx.code.slice(aliased.end, el.end)
    : ctx.code.slice(el.start, el.end)
  text += dependencyText(ctx, el, value, own)
  // Most declarations never name the class: no regex over them (a class body can be megabytes of data).
  const masked = text.includes(live)
    ? text.replace(new RegExp(`(?<![\\w$])${live.replace(/\$/g, '\\$')}(?![\\w$])`, 'g'), '\u0000')
    : text
  return JSON.stringify(hashText(masked))
}

export function lowerStatic(
  ctx: TransformContext,
  el: ESTree.ClassElement,
  live: string,
  api: string,
  keyVar: () => string,
  own: OwnClass,
): void {
  if (el.type === 'PropertyDefinition' && el.static) lowerStaticField(ctx, el, live, api, keyVar, own)
  else if (el.type === 'StaticBlock') lowerStaticBlock(ctx, el, live, api, own)
}

function lowerStaticField(
  ctx: TransformContext,
  el: ESTree.PropertyDefinition,
  live: string,
  api: string,
  keyVar: () => string,
  own: OwnClass,
): void {
  const s = ctx.s
  const hash = declarationHash(ctx, el, live, own, el.value)
  const keyNode = el.key
  const value = el.value
  if (keyNode.type === 'PrivateIdentifier') {
    if (value) rewriteThis(ctx, value, live)
    const name = `#${keyNode.name}`
    s.appendLeft(
      el.end,
      `\nstatic { ${api}.private(${live}, ${JSON.stringify(name)}, ${hash}, () => this.${name}, (v) => { this.${name} = v; }); }`,
    )
    return
  }
  let key = keyText(keyNode, el.computed)
  let placeholder = ''
  if (!key) {
    // A computed key is evaluated where the class evaluates it, once: a field without a value keeps
    // that place on this version's own class and hands the key to the declaration.
    key = keyVar()
    placeholder = `static [${key} = ${s.slice(keyNode.start, keyNode.end)}];\n`
  }
  const named = isAnonymousDefinition(value) ? ', true' : ''
  const want = `${placeholder}static { ${api}.want(${live}, ${key}, ${hash}) && ${api}.define(${live}, ${key}, (`
  if (!value) {
    s.overwrite(el.start, el.end, `${want}void 0)); }`)
    return
  }
  rewriteThis(ctx, value, live)
  s.overwrite(el.start, value.start, want)
  if (value.end < el.end) s.overwrite(value.end, el.end, `)${named}); }`)
  else s.appendLeft(value.end, `)${named}); }`)
}

function lowerStaticBlock(
  ctx: TransformContext,
  el: ESTree.StaticBlock,
  live: string,
  api: string,
  own: OwnClass,
): void {
  const s = ctx.s
  const assigned = assignedStatic(el)
  const hash = declarationHash(ctx, el, live, own, assigned?.value ?? null)
  if (assigned) {
    rewriteThis(ctx, assigned.value, live)
    s.overwrite(
      assigned.stmt.start,
      assigned.value.start,
      `${api}.want(${live}, ${assigned.key}, ${hash}) && ${api}.assign(${live}, ${assigned.key}, (`,
    )
    if (assigned.value.end < assigned.stmt.end) s.overwrite(assigned.value.end, assigned.stmt.end, '));')
    else s.appendLeft(assigned.value.end, '));')
    return
  }
  for (const stmt of el.body) rewriteThis(ctx, stmt, live)
  const brace = ctx.code.indexOf('{', el.start)
  s.appendLeft(brace + 1, ` if (${api}.block(${live}, ${hash})) {`)
  s.appendLeft(el.end - 1, '} ')
}

/**
 * `static #x` lives on each version's own class, which is not the live one: `_X.#x` and `this.#x` in
 * the body read it from this version's class (`raw`), so a static method called on the live class works.
 */
export function rewritePrivateReceivers(
  ctx: TransformContext,
  body: ESTree.ClassBody,
  names: Set<string>,
  live: string,
  raw: string,
): void {
  walk(body, (n) => {
    let object: ESTree.Node | undefined
    if (n.type === 'MemberExpression' && n.property.type === 'PrivateIdentifier') {
      if (names.has(n.property.name)) object = n.object
    } else if (n.type === 'BinaryExpression' && n.operator === 'in' && n.left.type === 'PrivateIdentifier') {
      if (names.has(n.left.name)) object = n.right
    }
    if (!object) return true
    if (object.type === 'Identifier' && object.name === live) ctx.s.overwrite(object.start, object.end, raw)
    else if (object.type === 'ThisExpression')
      ctx.s.overwrite(object.start, object.end, `(this === ${live} ? ${raw} : this)`)
    return true
  })
}
