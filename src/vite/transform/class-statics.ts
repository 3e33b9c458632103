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
  siblings: readonly ESTree.ClassElement[],
): string {
  if (!value) return ''
  const parts = [moduleInputs(ctx, value)]
  // The class's own statics it reads (`this.SIZE`, `C.SIZE`), and what those read in turn.
  const wanted = staticReads(ctx, value)
  const taken = new Set<ESTree.ClassElement>([el])
  for (let grew = true; grew;) {
    grew = false
    for (const sibling of siblings) {
      if (taken.has(sibling)) continue
      const declared = staticDeclared(sibling)
      if (!declared || !wanted.has(declared.key)) continue
      taken.add(sibling)
      grew = true
      parts.push(`\u0002${ctx.code.slice(sibling.start, sibling.end)}`, moduleInputs(ctx, declared.value))
      if (declared.value) for (const name of staticReads(ctx, declared.value)) wanted.add(name)
    }
  }
  return parts.join('')
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

/** Static names an expression reads off its own class (`this.X`, `C.X`, `_C.X`). */
function staticReads(ctx: TransformContext, value: ESTree.Node): Set<string> {
  const out = new Set<string>()
  walk(value, (n) => {
    if (n.type === 'FunctionExpression' || n.type === 'ClassExpression') return false
    if (n.type !== 'MemberExpression' || n.computed || n.property.type !== 'Identifier') return
    const object = n.object
    if (object.type === 'ThisExpression' || (object.type === 'Identifier' && ctx.a.classBindings.has(object.name)))
      out.add(n.property.name)
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
  siblings: readonly ESTree.ClassElement[],
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
  text += dependencyText(ctx, el, value, siblings)
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
  siblings: readonly ESTree.ClassElement[],
): void {
  if (el.type === 'PropertyDefinition' && el.static) lowerStaticField(ctx, el, live, api, keyVar, siblings)
  else if (el.type === 'StaticBlock') lowerStaticBlock(ctx, el, live, api, siblings)
}

function lowerStaticField(
  ctx: TransformContext,
  el: ESTree.PropertyDefinition,
  live: string,
  api: string,
  keyVar: () => string,
  siblings: readonly ESTree.ClassElement[],
): void {
  const s = ctx.s
  const hash = declarationHash(ctx, el, live, siblings, el.value)
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
  siblings: readonly ESTree.ClassElement[],
): void {
  const s = ctx.s
  const assigned = assignedStatic(el)
  const hash = declarationHash(ctx, el, live, siblings, assigned?.value ?? null)
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
