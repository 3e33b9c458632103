import type { ESTree } from 'vite'
import { patternNames } from './names.ts'
import { isCallOf } from './reloadable-classes.ts'
import { scopeNeedsParent } from './reference.ts'
import { forEachChild } from './walk.ts'

/** The one walk of a module's analysis: what it finds where (analysis.ts holds the result). */

/** Browser-driver calls whose function arguments are serialised and run in a page: nothing to import there. */
const SERIALISED = new Set(['evaluate', 'evaluateHandle', 'waitForFunction', 'addInitScript', '$eval', '$$eval'])

/** A destructuring declaration whose named bindings read methods the module declares (`const { update } = this`). */
export interface Destructuring {
  declarator: ESTree.VariableDeclarator
  /** A `for...of`/`for...in` head's: the loop body takes the forwarders (the head holds one declarator). */
  loop?: { kind: string; body: ESTree.Statement }
  /** Each such binding's property and the identifier it binds (renamed to a temporary by the emitter). */
  bindings: Array<{ property: ESTree.BindingProperty; id: ESTree.BindingIdentifier }>
}

export interface Sites {
  parents: Map<ESTree.Node, ESTree.Node>
  /** Names the module's classes declare or assign only data to (`age = 0`, `this.vx = 1`): `this.age` is not wrapped. */
  data: Set<string>
  /** Names the module declares as methods or gives values that may be one (a name in both is wrapped). */
  methods: Set<string>
  /** Functions that name none of the module scope's bindings: the scope resolution skips them. */
  unnamed: Set<ESTree.Node>
  calls: ESTree.CallExpression[]
  bindings: Map<ESTree.CallExpression, string>
  captures: Array<ESTree.MemberExpression | ESTree.ChainExpression>
  /** `const { update } = this` naming a method the module declares: the emitter reads it through `__ref`. */
  destructurings: Destructuring[]
  /** Names of the methods the module's classes declare (`update() {}`). */
  declaredMethods: Set<string>
}

/**
 * One depth-first walk, parents before children, that gathers what eslint-scope's resolution needs
 * (parent links of identifiers and destructuring parts; the `range` it reads of identifiers and function
 * bodies, to resolve `function f(a = x) { const x = 2 }` to the outer `x`: Oxc gives only start/end),
 * every `reloadable(...)` call with the class it decorates, and the member reads the captures emitter wraps.
 */
export function walkModule(
  program: ESTree.Program,
  name: string | undefined,
  wantCaptures: boolean,
  moduleNames: ReadonlySet<string>,
): Sites {
  const sites: Sites = {
    parents: new Map(),
    data: new Set(),
    methods: new Set(),
    unnamed: new Set(),
    calls: [],
    bindings: new Map(),
    captures: [],
    destructurings: [],
    declaredMethods: new Set(),
  }
  const destructured: Array<{ d: ESTree.VariableDeclarator; loop?: Destructuring['loop'] }> = []
  // `for (const { update } of list)`: a loop head takes one declarator, so nothing can follow it.
  const loopHeads = new Set<ESTree.Node>()
  // The functions around the node being visited, and whether each names a module-scope binding so far.
  const functions: Array<{ node: ESTree.Node; named: boolean }> = []
  const skip: Array<[number, number]> = []
  // The expressions whose value `n` can be: itself, or each branch of `?:`, `||`, `&&`, `??`, the last of
  // `(a, b)`. A plain recursion, not a generator: it runs for every element of every array literal.
  const note = (n: ESTree.Node | null | undefined): void => {
    if (!wantCaptures || !n) return
    switch (n.type) {
      case 'MemberExpression':
        if (isEscapingRead(n)) sites.captures.push(n)
        return
      // `later(this.child?.tick)`: the whole chain is the value handed out.
      case 'ChainExpression':
        if (n.expression.type === 'MemberExpression' && isEscapingRead(n.expression)) sites.captures.push(n)
        return
      case 'ConditionalExpression':
        note(n.consequent)
        note(n.alternate)
        return
      case 'LogicalExpression':
        note(n.left)
        note(n.right)
        return
      case 'SequenceExpression':
        note(n.expressions.at(-1))
        return
      case 'ParenthesizedExpression':
      case 'TSAsExpression':
      case 'TSSatisfiesExpression':
      case 'TSNonNullExpression':
      case 'TSTypeAssertion':
        note(n.expression)
        return
    }
  }
  const visit = (node: ESTree.Node, parent: ESTree.Node | undefined): void => {
    if (node.type === 'Identifier') {
      node.range ??= [node.start, node.end]
      if (parent) sites.parents.set(node, parent)
      const inner = functions.at(-1)
      if (inner && !inner.named && moduleNames.has(node.name)) inner.named = true
      return
    }
    // Most of a data-heavy module: nothing below, nothing to note.
    if (node.type === 'Literal') return
    if (parent && scopeNeedsParent(node.type)) sites.parents.set(node, parent)
    const fn = node as { params?: unknown; body?: ESTree.Node | null }
    if (fn.params !== undefined && fn.body) fn.body.range ??= [fn.body.start, fn.body.end]
    switch (node.type) {
      case 'CallExpression': {
        if (name !== undefined) noteReloadableCall(node, name, sites)
        const callee = node.callee
        if (callee.type === 'MemberExpression') {
          // `#evaluate` counts too: the name is what marks a serialising call.
          const key = callee.property
          const property = key.type === 'Identifier' || key.type === 'PrivateIdentifier' ? key.name : undefined
          if (property !== undefined && SERIALISED.has(property)) skip.push([node.start, node.end])
          // `this.onHit.bind(this)`
          if (property === 'bind' && !callee.computed) note(callee.object)
        }
        for (const arg of node.arguments) note(arg)
        break
      }
      case 'NewExpression':
        for (const arg of node.arguments) note(arg)
        break
      case 'AssignmentExpression': {
        // `table.act = this.act` hands a method out as much as `on(e, this.act)` does; so do `??=`, `||=`.
        const handsOut = node.operator === '=' || LOGICAL_ASSIGNMENT.has(node.operator)
        if (handsOut) note(node.right)
        // `this.vx = 1` makes `vx` instance data; `this.cb = this.onTick` (or a call, whose result may be a
        // bound method) may make it a method.
        const left = node.left
        if (left.type !== 'MemberExpression' || left.computed || left.object.type !== 'ThisExpression') break
        ;(!handsOut || isData(node.right) ? sites.data : sites.methods).add(left.property.name)
        break
      }
      // A field's initial value is handed to the instance (`handler = this.onEvent`, `state = this.idle`).
      case 'PropertyDefinition': {
        note(node.value)
        const key = keyName(node)
        if (key === undefined) break
        ;(node.value && isData(node.value) ? sites.data : sites.methods).add(key)
        break
      }
      // `arm(cb = this.onTick)`: a default value is handed to the function.
      case 'AssignmentPattern':
        note(node.right)
        break
      case 'YieldExpression':
        note(node.argument)
        break
      case 'TaggedTemplateExpression':
        for (const e of node.quasi.expressions) note(e)
        break
      case 'MethodDefinition': {
        const key = keyName(node)
        if (key !== undefined) {
          sites.methods.add(key)
          if (node.kind === 'method') sites.declaredMethods.add(key)
        }
        break
      }
      // A method read into a variable or an array is handed out later (`const cb = this.onHit; on(e, cb)`,
      // `ticker.push([this.update, this])`): wrapped too, so the holder and a later `off(e, this.onHit)`
      // meet the same forwarder.
      case 'ForOfStatement':
      case 'ForInStatement': {
        loopHeads.add(node.left)
        const head = node.left
        if (wantCaptures && head.type === 'VariableDeclaration' && head.declarations[0]?.id.type === 'ObjectPattern')
          destructured.push({ d: head.declarations[0], loop: { kind: head.kind, body: node.body } })
        break
      }
      case 'VariableDeclarator':
        note(node.init)
        if (wantCaptures && node.id.type === 'ObjectPattern' && node.init && parent && !loopHeads.has(parent))
          destructured.push({ d: node })
        // `const Red = reloadable()(class { ... })`: the variable is the class's binding.
        if (name !== undefined && node.init?.type === 'CallExpression' && node.id.type === 'Identifier') {
          const callee = node.init.callee
          if (isCallOf(callee, name) && node.init.arguments[0]?.type === 'ClassExpression')
            sites.bindings.set(callee, node.id.name)
        }
        break
      case 'ArrayExpression':
        for (const el of node.elements) note(el)
        break
      // A method a method returns is held by the caller (`pick() { return this.hard }`, `get handler() {...}`).
      case 'ReturnStatement':
        note(node.argument)
        break
      case 'ArrowFunctionExpression':
        if (node.expression) note(node.body)
        break
      // Code that stored a method compares it with the method read again (`this.state === this.idle`): both
      // sides are the forwarder, as in plain code both are the method.
      case 'BinaryExpression':
        if (!EQUALITY.has(node.operator)) break
        note(node.left)
        note(node.right)
        break
      case 'SwitchStatement':
        note(node.discriminant)
        for (const c of node.cases) note(c.test)
        break
      case 'ObjectExpression':
        for (const p of node.properties) if (p.type === 'Property' && !p.shorthand) note(p.value)
        break
      case 'ClassDeclaration':
      case 'ClassExpression':
        // TC39 decorators left in place appear as `@reloadable()` on the class itself.
        if (name === undefined || !node.id) break
        for (const d of node.decorators)
          if (isCallOf(d.expression, name)) sites.bindings.set(d.expression, node.id.name)
        break
    }
    if (
      node.type !== 'FunctionDeclaration' &&
      node.type !== 'FunctionExpression' &&
      node.type !== 'ArrowFunctionExpression'
    ) {
      forEachChild(node, visit)
      return
    }
    functions.push({ node, named: false })
    forEachChild(node, visit)
    const done = functions.pop()!
    if (!done.named) sites.unnamed.add(node)
    else if (functions.length > 0) functions.at(-1)!.named = true
  }
  visit(program, undefined)
  // `this.age` where the module's classes only ever give `age` data (a declared field `age = 0`,
  // `this.age = 1`, `this.age += dt`) is left alone: it is on the hot path (`return this.age`,
  // `max(this.hp, 0)`) and never yields a method. Only through `this`: `this.enemy.update` may be a method
  // of a class elsewhere although this module's `update` is data.
  const dataRead = (n: ESTree.MemberExpression | ESTree.ChainExpression): boolean =>
    n.type === 'MemberExpression' &&
    n.object.type === 'ThisExpression' &&
    !n.computed &&
    sites.data.has(n.property.name) &&
    !sites.methods.has(n.property.name)
  sites.captures = sites.captures.filter((n) => !dataRead(n) && !skip.some(([a, b]) => n.start >= a && n.end <= b))
  // `const { update, x } = this`: a binding whose key names a method the module declares is read through
  // `__ref` after the destructuring (which itself runs as written), so `ticker.add(update, this)` hands out
  // the forwarder.
  for (const { d, loop } of destructured) {
    if (skip.some(([a, b]) => d.start >= a && d.end <= b)) continue
    const bindings: Destructuring['bindings'] = []
    for (const p of (d.id as ESTree.ObjectPattern).properties) {
      if (p.type !== 'Property' || p.computed || p.key.type !== 'Identifier') continue
      if (!sites.declaredMethods.has(p.key.name)) continue
      const target = p.value.type === 'AssignmentPattern' ? p.value.left : p.value
      if (target.type === 'Identifier') bindings.push({ property: p, id: target })
    }
    // A loop body that declares one of those names itself would clash with the declaration added to it.
    if (loop && bindings.some(({ id }) => declaresAtTop(loop.body, id.name))) continue
    if (bindings.length > 0) sites.destructurings.push({ declarator: d, bindings, ...(loop && { loop }) })
  }
  return sites
}

/** Whether a block declares `name` among its own statements (`const`, `let`, a function or a class). */
function declaresAtTop(body: ESTree.Statement, name: string): boolean {
  if (body.type !== 'BlockStatement') return false
  return body.body.some((stmt) => {
    if (stmt.type === 'VariableDeclaration') return stmt.declarations.some((d) => patternNames(d.id).includes(name))
    return (stmt.type === 'FunctionDeclaration' || stmt.type === 'ClassDeclaration') && stmt.id?.name === name
  })
}

/**
 * A call of the decorator factory; or `_decorate([decorators], X)`, Oxc's lowering of legacy decorators,
 * whose helper's local name varies but whose shape does not. A bare `reloadable()(X)` has no binding.
 */
function noteReloadableCall(node: ESTree.CallExpression, name: string, sites: Sites): void {
  if (node.callee.type === 'Identifier' && node.callee.name === name) {
    sites.calls.push(node)
    return
  }
  const [list, target] = node.arguments
  if (list?.type !== 'ArrayExpression' || target?.type !== 'Identifier') return
  for (const el of list.elements) if (isCallOf(el, name)) sites.bindings.set(el, target.name)
}

/**
 * A member read that may be a method handed out (`super.update` too): not `#x`, not an index (`a[0]`,
 * `items[i & 63]`, `row[x - 1]`: a game loop's reads). An array's methods were wrapped as they were put in.
 */
function isEscapingRead(n: ESTree.MemberExpression): boolean {
  return n.property.type !== 'PrivateIdentifier' && !(n.computed && isNumeric(n.property))
}

const NUMERIC_OPERATORS = new Set(['-', '*', '/', '%', '**', '&', '|', '^', '<<', '>>', '>>>'])

/** An expression whose value is a number whatever its operands are (not `+`, which also joins strings). */
function isNumeric(n: ESTree.Node): boolean {
  switch (n.type) {
    case 'Literal':
      return typeof n.value === 'number'
    case 'BinaryExpression':
      return NUMERIC_OPERATORS.has(n.operator)
    case 'UpdateExpression':
      return true
    case 'UnaryExpression':
      return n.operator === '-' || n.operator === '+' || n.operator === '~'
    default:
      return false
  }
}

const EQUALITY = new Set(['===', '!==', '==', '!='])
const LOGICAL_ASSIGNMENT = new Set(['??=', '||=', '&&='])

/** A value that is never a method: a literal, arithmetic, a fresh object, array or instance. */
function isData(n: ESTree.Node): boolean {
  switch (n.type) {
    case 'Literal':
    case 'TemplateLiteral':
    case 'UnaryExpression':
    case 'UpdateExpression':
    case 'BinaryExpression':
    case 'ObjectExpression':
    case 'ArrayExpression':
    case 'NewExpression':
      return true
    case 'ParenthesizedExpression':
    case 'TSAsExpression':
    case 'TSSatisfiesExpression':
    case 'TSNonNullExpression':
      return isData(n.expression)
    default:
      return false
  }
}

function keyName(member: ESTree.PropertyDefinition | ESTree.MethodDefinition): string | undefined {
  if (member.computed) return undefined
  const key = member.key
  if (key.type === 'Identifier') return key.name
  return key.type === 'Literal' && typeof key.value === 'string' ? key.value : undefined
}
