import { Visitor } from '../parse.ts'
import type { TransformContext } from './index.ts'
import type { Node } from './names.ts'

/**
 * Method references handed out follow swaps. A member read is wrapped in `__ref(...)` where game code
 * hands a method out: a call argument (`ticker.add(this.update, this)`, `on('hit', this.onHit)`,
 * `setTimeout(this.tick)`), the receiver of `.bind(...)`, a handler-table value (`{ move: this.onMove }`),
 * an array element, a variable's initialiser, the right side of an assignment (`table.act = this.act`,
 * `button.onclick = this.click`), a returned value, either side of `===`/`!==` and a `switch` (a stored
 * method compared with the method read again), through `?:`, `||`, `??` and `(a, b)`, and `super.update`
 * too. At run time a method of a reloadable class becomes a stable forwarder to the class's current
 * method (core/references.ts); anything else passes through with one inlined `typeof` (measured 1.00x on
 * a getter's `return this._hp`, bench/hotpath.bench.ts 'why').
 */

function isReference(n: Node | null | undefined): n is Node {
  if (n?.type !== 'MemberExpression') return false
  const property = n['property'] as Node
  return (
    property.type !== 'PrivateIdentifier' &&
    !(n['computed'] && property.type === 'Literal' && typeof property['value'] === 'number')
  )
}

/** The expressions whose value `n` can be: itself, or each branch of `?:`, `||`, `&&`, `??`, the last of `(a, b)`. */
function* outcomes(n: Node | null | undefined): Generator<Node> {
  if (!n) return
  switch (n.type) {
    case 'ConditionalExpression':
      yield* outcomes(n['consequent'] as Node)
      yield* outcomes(n['alternate'] as Node)
      return
    case 'LogicalExpression':
      yield* outcomes(n['left'] as Node)
      yield* outcomes(n['right'] as Node)
      return
    case 'SequenceExpression':
      yield* outcomes((n['expressions'] as Node[]).at(-1))
      return
    case 'ParenthesizedExpression':
    case 'TSAsExpression':
    case 'TSSatisfiesExpression':
    case 'TSNonNullExpression':
    case 'TSTypeAssertion':
      yield* outcomes(n['expression'] as Node)
      return
    default:
      yield n
  }
}

const EQUALITY = new Set(['===', '!==', '==', '!='])

/** Browser-driver calls whose function arguments are serialised and run in a page: nothing to import there. */
const SERIALISED = new Set(['evaluate', 'evaluateHandle', 'waitForFunction', 'addInitScript', '$eval', '$$eval'])

interface Search {
  found: Node[]
  /** Ranges of serialised callbacks, whose reads are left alone. */
  skip: Array<[number, number]>
  /** Names the module's classes declare or assign as data (`age = 0`, `this.vx = 1`): reads are not wrapped. */
  data: Set<string>
  /** Names the module declares as methods (a name in both is wrapped). */
  methods: Set<string>
}

// One visitor for the life of the process (see decorated.ts: Vite's bundled visitor keeps every
// Visitor's callbacks), reading the search in progress from `current`. Enter-only callbacks, so each
// node looks at its own children: the parent that decides whether a read hands its value out.
let current: Search | undefined
const note = (n: Node | null | undefined): void => {
  for (const v of outcomes(n)) if (isReference(v)) current!.found.push(v)
}
const visitor = new Visitor({
  CallExpression(node) {
    const n = node as unknown as Node
    const callee = n['callee'] as Node
    if (callee.type === 'MemberExpression') {
      const name = (callee['property'] as Node)['name']
      if (typeof name === 'string' && SERIALISED.has(name)) current!.skip.push([n.start, n.end])
      // `this.onHit.bind(this)`
      if (name === 'bind' && !callee['computed']) note(callee['object'] as Node)
    }
    for (const arg of n['arguments'] as Node[]) note(arg)
  },
  NewExpression(node) {
    for (const arg of (node as unknown as Node)['arguments'] as Node[]) note(arg)
  },
  AssignmentExpression(node) {
    // `table.act = this.act` hands a method out as much as `on(e, this.act)` does.
    if (node.operator === '=') note(node.right as unknown as Node)
    // `this.vx = 1` makes `vx` instance data; `this.onHit = () => ...` a function (`d.value = ...` in a
    // decorator is neither: a descriptor's `value` holds the method).
    const left = node.left as unknown as Node
    const right = node.right as unknown as Node
    if (left.type !== 'MemberExpression' || left['computed'] || (left['object'] as Node).type !== 'ThisExpression')
      return
    const fn = right.type === 'ArrowFunctionExpression' || right.type === 'FunctionExpression'
    ;(fn ? current!.methods : current!.data).add(propertyName(left)!)
  },
  PropertyDefinition(node) {
    const n = node as unknown as Node
    const value = n['value'] as Node | null
    const name = keyName(n)
    if (name === undefined) return
    if (value && (value.type === 'ArrowFunctionExpression' || value.type === 'FunctionExpression'))
      current!.methods.add(name)
    else current!.data.add(name)
  },
  MethodDefinition(node) {
    const name = keyName(node as unknown as Node)
    if (name !== undefined) current!.methods.add(name)
  },
  // A method read into a variable or an array is handed out later (`const cb = this.onHit; on(e, cb)`,
  // `ticker.push([this.update, this])`): wrapped too, so the holder and a later `off(e, this.onHit)`
  // meet the same forwarder.
  VariableDeclarator(node) {
    note(node.init as unknown as Node | null)
  },
  ArrayExpression(node) {
    for (const el of node.elements as unknown as Array<Node | null>) note(el)
  },
  // A method a method returns is held by the caller (`pick() { return this.hard }`, `get handler() {...}`).
  ReturnStatement(node) {
    note(node.argument as unknown as Node | null)
  },
  ArrowFunctionExpression(node) {
    if (node.expression) note(node.body as unknown as Node)
  },
  // Code that stored a method compares it with the method read again (`this.state === this.idle`): both
  // sides are the forwarder, as in plain code both are the method.
  BinaryExpression(node) {
    if (!EQUALITY.has(node.operator)) return
    note(node.left as unknown as Node)
    note(node.right as unknown as Node)
  },
  SwitchStatement(node) {
    note(node.discriminant as unknown as Node)
    for (const c of node.cases) note(c.test as unknown as Node | null)
  },
  ObjectExpression(node) {
    for (const p of node.properties as unknown as Node[])
      if (p.type === 'Property' && !p['shorthand']) note(p['value'] as Node)
  },
})

function keyName(member: Node): string | undefined {
  const key = member['key'] as Node
  if (member['computed']) return undefined
  return key.type === 'Identifier'
    ? (key['name'] as string)
    : typeof key['value'] === 'string'
      ? key['value']
      : undefined
}

function propertyName(read: Node): string | undefined {
  const property = read['property'] as Node
  return read['computed'] ? undefined : (property['name'] as string)
}

/**
 * The reads to wrap. A read of a name the module only ever uses for data (a declared field, a property
 * it assigns) is left alone: it is on the hot path (`return this.age`, `this.vx = this.speed`, `max(this.hp,
 * 0)`) and never yields a method of this module's classes. A stored method reference was wrapped where it
 * was stored, so it already is the forwarder.
 */
function collect(ast: TransformContext['ast']): Node[] {
  const search: Search = { found: [], skip: [], data: new Set(), methods: new Set() }
  current = search
  try {
    visitor.visit(ast)
  } finally {
    current = undefined
  }
  const isData = (n: Node): boolean => {
    const name = propertyName(n)
    return name !== undefined && search.data.has(name) && !search.methods.has(name)
  }
  return search.found.filter((n) => !isData(n) && !search.skip.some(([a, b]) => n.start >= a && n.end <= b))
}

/**
 * Test code is not game code: a test hands functions to a browser (`page.evaluate(() => ...)`) that are
 * serialised and run where no import exists, so a module that imports a test runner or a browser driver
 * is left as it is.
 */
const TEST_TOOLING = /^(?:vitest|@vitest\/|playwright|playwright-core|@playwright\/|jest|@jest\/|mocha)(?:\/|$)/

function isTestModule(ctx: TransformContext): boolean {
  return ctx.ast.body.some(
    (n) => n.type === 'ImportDeclaration' && typeof n.source.value === 'string' && TEST_TOOLING.test(n.source.value),
  )
}

export function capturesPass(ctx: TransformContext): void {
  if (isTestModule(ctx)) return
  const found = collect(ctx.ast)
  if (found.length === 0) return
  let name = '__hcref'
  for (let i = 1; ctx.code.includes(name); i++) name = `__hcref${i}`
  // Insertions outside each read's own range: passes that overwrite inside it (module state cells,
  // `this` in static initialisers) keep their edits, and these survive theirs.
  // Where it was handed out, so a method that cannot be redirected can be named with its place: the
  // module, not the line, since a method's text is how a swap tells whether it changed, and a line
  // number would change every method below an edit.
  const at = JSON.stringify(ctx.id)
  for (const node of found) {
    ctx.s.appendLeft(node.start, `${name}(`)
    ctx.s.prependRight(node.end, `, ${at})`)
  }
  // A module-local function, not the import itself: under Vite's module runner (the Node host) every use
  // of an imported name is a property read on the import object, measured at 6.6x a plain call on a
  // one-line method; a local function that looks at `typeof` first costs nothing measurable, and only a
  // function value reaches the import. A declaration is hoisted: no TDZ in an import cycle.
  ctx.s.prepend(
    `import { __ref as ${name}$ } from "hotclass";\nfunction ${name}(v, at) { return typeof v === 'function' ? ${name}$(v, at) : v; }\n`,
  )
}
