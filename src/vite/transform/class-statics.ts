import { hashText } from './continuity.ts'
import type { TransformContext } from './index.ts'
import type { Node } from './names.ts'

/**
 * The static side of a reloadable class's body, lowered (see classes.ts): each static field becomes a
 * declaration onto the live class that an unedited text skips, each static block runs again only when
 * edited, `static #x` carries its value over, and `this`/`super` in static initialisers mean the live
 * class.
 */

/** Walk `node`, calling `visit` on each node; `visit` returns false to skip a node's children. */
function walk(node: Node, visit: (n: Node) => boolean | void): void {
  if (visit(node) === false) return
  for (const key of Object.keys(node)) {
    const v = node[key]
    if (Array.isArray(v)) {
      for (const x of v) if (isNode(x)) walk(x, visit)
    } else if (isNode(v)) walk(v, visit)
  }
}

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && typeof (v as Node).type === 'string'
}

/**
 * `this` of a static initialiser or block, outside nested functions and classes, becomes the live class;
 * so does the receiver of `super.x` there (`static { super.register() }` registers the live class).
 */
function rewriteThis(ctx: TransformContext, node: Node, live: string): void {
  const superGet = (m: Node): string | undefined => {
    const property = m['property'] as Node
    const key = m['computed'] ? ctx.s.slice(property.start, property.end) : JSON.stringify(property['name'])
    return property.type === 'PrivateIdentifier'
      ? undefined
      : `Reflect.get(Object.getPrototypeOf(${live}), ${key}, ${live})`
  }
  walk(node, (n) => {
    if (n.type === 'FunctionExpression' || n.type === 'FunctionDeclaration' || n.type.startsWith('Class')) return false
    if (n.type === 'ThisExpression') ctx.s.overwrite(n.start, n.end, live)
    const callee = n.type === 'CallExpression' ? (n['callee'] as Node) : undefined
    if (callee?.type === 'MemberExpression' && (callee['object'] as Node).type === 'Super') {
      const get = superGet(callee)
      if (!get) return true
      const args = n['arguments'] as Node[]
      ctx.s.overwrite(callee.start, callee.end, `${get}.call`)
      ctx.s.appendLeft(args[0]?.start ?? n.end - 1, args.length > 0 ? `${live}, ` : live)
      for (const arg of args) rewriteThis(ctx, arg, live)
      return false
    }
    if (n.type === 'MemberExpression' && (n['object'] as Node).type === 'Super') {
      const get = superGet(n)
      if (get) ctx.s.overwrite(n.start, n.end, get)
      return false
    }
    return true
  })
}

function keyText(key: Node, computed: boolean): string | undefined {
  if (computed) return undefined
  if (key.type === 'Identifier') return JSON.stringify(key['name'])
  if (key.type === 'Literal' && (typeof key['value'] === 'string' || typeof key['value'] === 'number'))
    return JSON.stringify(String(key['value']))
  return undefined
}

/** `this.K = V;` alone in a static block: Oxc's lowering of a static field under `useDefineForClassFields: false`. */
function assignedStatic(block: Node): { key: string; value: Node; stmt: Node } | undefined {
  const body = block['body'] as Node[]
  if (body.length !== 1 || body[0]!.type !== 'ExpressionStatement') return undefined
  const expr = body[0]!['expression'] as Node
  if (expr.type !== 'AssignmentExpression' || expr['operator'] !== '=') return undefined
  const left = expr['left'] as Node
  if (left.type !== 'MemberExpression' || (left['object'] as Node).type !== 'ThisExpression') return undefined
  const key = keyText(left['property'] as Node, left['computed'] as boolean)
  return key ? { key, value: expr['right'] as Node, stmt: body[0]! } : undefined
}

/** Whether a value is an anonymous function or class definition, which a field names after itself. */
function isAnonymousDefinition(value: Node | null): boolean {
  if (!value) return false
  if (value.type === 'ArrowFunctionExpression') return true
  return (value.type === 'FunctionExpression' || value.type === 'ClassExpression') && !value['id']
}

/**
 * The digest of a static declaration. Oxc names a class's self-reference `_X`, `_X2`, ... in order of
 * need across the module, so the same declaration can read `new _Level2()` in one version and
 * `new _Level()` in the next: the class's own alias counts as one name.
 */
function declarationHash(ctx: TransformContext, el: Node, live: string): string {
  // Oxc's decorator lowering moves a decorated member's computed key into a temporary
  // (`static [_SYM = SYM] = 2`), so adding or removing a decorator would read as an edit of the value.
  const key = el['key'] as Node | undefined
  const right = key?.type === 'AssignmentExpression' ? (key['right'] as Node) : undefined
  const aliased =
    el['computed'] &&
    right &&
    (key!['left'] as Node).type === 'Identifier' &&
    String((key!['left'] as Node)['name']).startsWith('_')
  const source = aliased
    ? ctx.code.slice(el.start, key!.start) + ctx.code.slice(right.start, right.end) + ctx.code.slice(key!.end, el.end)
    : ctx.code.slice(el.start, el.end)
  const text = source.replace(new RegExp(`(?<![\\w$])${live.replace(/\$/g, '\\$')}(?![\\w$])`, 'g'), '\u0000')
  return JSON.stringify(hashText(text))
}

export function lowerStatic(ctx: TransformContext, el: Node, live: string, api: string, keyVar: () => string): void {
  const s = ctx.s
  const hash = declarationHash(ctx, el, live)
  if (el.type === 'PropertyDefinition' && el['static']) {
    const keyNode = el['key'] as Node
    const value = el['value'] as Node | null
    if (keyNode.type === 'PrivateIdentifier') {
      if (value) rewriteThis(ctx, value, live)
      const name = `#${keyNode['name'] as string}`
      s.appendLeft(
        el.end,
        `\nstatic { ${api}.private(${live}, ${JSON.stringify(name)}, ${hash}, () => this.${name}, (v) => { this.${name} = v; }); }`,
      )
      return
    }
    let key = keyText(keyNode, el['computed'] as boolean)
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
    return
  }
  if (el.type !== 'StaticBlock') return
  const assigned = assignedStatic(el)
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
  for (const stmt of el['body'] as Node[]) rewriteThis(ctx, stmt, live)
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
  body: Node,
  names: Set<string>,
  live: string,
  raw: string,
): void {
  walk(body, (n) => {
    let object: Node | undefined
    if (n.type === 'MemberExpression' && (n['property'] as Node).type === 'PrivateIdentifier') {
      if (names.has((n['property'] as Node)['name'] as string)) object = n['object'] as Node
    } else if (
      n.type === 'BinaryExpression' &&
      n['operator'] === 'in' &&
      (n['left'] as Node).type === 'PrivateIdentifier'
    ) {
      if (names.has((n['left'] as Node)['name'] as string)) object = n['right'] as Node
    }
    if (!object) return true
    if (object.type === 'Identifier' && object['name'] === live) ctx.s.overwrite(object.start, object.end, raw)
    else if (object.type === 'ThisExpression')
      ctx.s.overwrite(object.start, object.end, `(this === ${live} ? ${raw} : this)`)
    return true
  })
}
