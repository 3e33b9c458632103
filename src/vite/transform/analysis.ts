import type { ESTree } from 'vite'
import { parseAst } from '../parse.ts'
import { moduleExportName } from './names.ts'
import { twinFieldBodies } from './field-shapes.ts'
import type { FieldBody } from './field-shapes.ts'
import { findReloadableClasses, namedClasses } from './reloadable-classes.ts'
import type { ReloadableClass, TopStatement } from './reloadable-classes.ts'
import { moduleScopeNames, resolveScope, scopeNeedsParent } from './scope.ts'
import type { ModuleScope } from './scope.ts'
import { forEachChild } from './walk.ts'

/**
 * Everything the transform's emitters need to know about one module, found in one parse and one walk
 * (plus eslint-scope's own resolution). The emitters read this and write through the MagicString; none
 * of them walks the module again.
 */
export interface Analysis {
  program: ESTree.Program
  code: string
  /** The class bodies to read instance fields from: this module's own, or its define-semantics twin's. */
  fields: { bodies: Map<string, FieldBody>; own: boolean }
  imports: Imports
  scope: ModuleScope
  /** Every `reloadable(...)` call, with the class binding it decorates when it decorates one. */
  reloadableCalls: ReloadableCall[]
  /** The bindings of every class the decorator is applied to. */
  reloadableBindings: Set<string>
  /** The reloadable classes the classes emitter lowers. */
  reloadableClasses: ReloadableClass[]
  /** Classes and the aliases Oxc's decorator lowering gives them: never module state. */
  classBindings: Set<string>
  /** Member reads whose value escapes (a call argument, `.bind`, an assignment...): the captures emitter wraps them. */
  captures: ESTree.MemberExpression[]
  /** Top-level variable declarations, with the export statement around one when there is one. */
  variables: Array<{ stmt: TopStatement; decl: ESTree.VariableDeclaration }>
  /** Top-level classes that are not reloadable and never reassigned, kept like a `const`. */
  plainClasses: Array<{ stmt: TopStatement; cls: ESTree.Class & { id: ESTree.BindingIdentifier } }>
  /** `export default { ... }` / `[ ... ]`, kept like a variable named `default`. */
  defaultData:
    { stmt: ESTree.ExportDefaultDeclaration; value: ESTree.ObjectExpression | ESTree.ArrayExpression } | undefined
  exports: ExportFacts
}

export interface Imports {
  /** The local name `reloadable` is imported as from the hotclass entry, if imported. */
  reloadable: string | undefined
  /** The local names `once` and `dispose` are imported under from the hotclass entry. */
  lifecycle: Map<string, 'once' | 'dispose'>
  /** The module imports a test runner or a browser driver: test code, not game code. */
  testTooling: boolean
}

export interface ReloadableCall {
  call: ESTree.CallExpression
  /** The binding the decorated class is assigned to (`Enemy` in `Enemy = _decorate([...], Enemy)`). */
  binding: string | undefined
}

export interface ExportFacts {
  /** `export * from` or `export { x } from`: a value another module owns. */
  reexports: boolean
  /** `export default ...`: the name it exports when it is an identifier or a named declaration. */
  defaults: Array<{ local: string | undefined }>
}

export interface AnalyseOptions {
  isHotclassEntry: (specifier: string) => boolean
  /** The module lowered with define semantics for class fields (see TransformOptions.fieldsSource). */
  fieldsSource?: string | undefined
}

/** Parse and analyse one module. Throws what `parseAst` throws for code that does not parse. */
export function analyse(code: string, options: AnalyseOptions): Analysis {
  const program = parseAst(code)
  const imports = readImports(program, options.isHotclassEntry)
  const sites = walkModule(program, imports, moduleScopeNames(program))
  const scope = resolveScope(program, sites.parents, sites.unnamed)
  const reloadableCalls = sites.calls.map((call) => ({ call, binding: sites.bindings.get(call) }))
  const reloadableBindings = new Set<string>()
  for (const { binding } of reloadableCalls) if (binding) reloadableBindings.add(binding)
  return {
    program,
    code,
    fields: {
      bodies: fieldBodies(program, code, reloadableBindings, options.fieldsSource),
      own: options.fieldsSource === undefined,
    },
    imports,
    scope,
    reloadableCalls,
    reloadableBindings,
    reloadableClasses: imports.reloadable ? findReloadableClasses(program, imports.reloadable) : [],
    classBindings: classBindings(scope, program),
    captures: sites.captures,
    variables: variableStatements(program),
    plainClasses: plainClasses(program, scope, reloadableBindings),
    defaultData: defaultData(program, scope),
    exports: exportFacts(program),
  }
}

/** The class bodies the fields emitter reads: this module's, or under `fieldsSource` its twin's. */
function fieldBodies(
  program: ESTree.Program,
  code: string,
  reloadable: ReadonlySet<string>,
  twin: string | undefined,
): Map<string, FieldBody> {
  const own = namedClasses(program)
  const out = new Map<string, FieldBody>()
  if (twin === undefined) {
    for (const [name, cls] of own) out.set(name, { body: cls.body, code })
    return out
  }
  const wanted = new Map([...own].filter(([name]) => reloadable.has(name)))
  if (wanted.size === 0) return out
  const cheap = twinFieldBodies(wanted, code, twin)
  if (cheap) return cheap
  for (const [name, cls] of namedClasses(parseAst(twin))) out.set(name, { body: cls.body, code: twin })
  return out
}

const TEST_TOOLING = /^(?:vitest|@vitest\/|playwright|playwright-core|@playwright\/|jest|@jest\/|mocha)(?:\/|$)/

function readImports(program: ESTree.Program, isHotclassEntry: (specifier: string) => boolean): Imports {
  const out: Imports = { reloadable: undefined, lifecycle: new Map(), testTooling: false }
  for (const node of program.body) {
    if (node.type !== 'ImportDeclaration') continue
    const source = node.source.value
    if (TEST_TOOLING.test(source)) out.testTooling = true
    if (!isHotclassEntry(source)) continue
    for (const spec of node.specifiers) {
      if (spec.type !== 'ImportSpecifier') continue
      const imported = moduleExportName(spec.imported)
      // Only named imports of the hotclass entry count: a decorator re-exported through a user module is
      // not recognised, and its classes are keyed by name.
      if (imported === 'reloadable' && node.importKind !== 'type') out.reloadable ??= spec.local.name
      if (imported === 'once' || imported === 'dispose') out.lifecycle.set(spec.local.name, imported)
    }
  }
  return out
}

// --- the one walk ------------------------------------------------------------------------------------

/** Browser-driver calls whose function arguments are serialised and run in a page: nothing to import there. */
const SERIALISED = new Set(['evaluate', 'evaluateHandle', 'waitForFunction', 'addInitScript', '$eval', '$$eval'])

interface Sites {
  parents: Map<ESTree.Node, ESTree.Node>
  /** Functions that name none of the module scope's bindings: the scope resolution skips them. */
  unnamed: Set<ESTree.Node>
  calls: ESTree.CallExpression[]
  bindings: Map<ESTree.CallExpression, string>
  captures: ESTree.MemberExpression[]
}

/**
 * One depth-first walk, parents before children, that gathers what eslint-scope's resolution needs
 * (parent links of identifiers and destructuring parts; the `range` it reads of identifiers and function
 * bodies, to resolve `function f(a = x) { const x = 2 }` to the outer `x`: Oxc gives only start/end),
 * every `reloadable(...)` call with the class it decorates, and the member reads the captures emitter wraps.
 */
function walkModule(program: ESTree.Program, imports: Imports, moduleNames: ReadonlySet<string>): Sites {
  const name = imports.reloadable
  const wantCaptures = !imports.testTooling
  const sites: Sites = { parents: new Map(), unnamed: new Set(), calls: [], bindings: new Map(), captures: [] }
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
      case 'AssignmentExpression':
        // `table.act = this.act` hands a method out as much as `on(e, this.act)` does.
        if (node.operator === '=') note(node.right)
        break
      // A method read into a variable or an array is handed out later (`const cb = this.onHit; on(e, cb)`,
      // `ticker.push([this.update, this])`): wrapped too, so the holder and a later `off(e, this.onHit)`
      // meet the same forwarder.
      case 'VariableDeclarator':
        note(node.init)
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
  if (skip.length > 0) sites.captures = sites.captures.filter((n) => !skip.some(([a, b]) => n.start >= a && n.end <= b))
  return sites
}

function isCallOf(node: ESTree.Node | null | undefined, name: string): node is ESTree.CallExpression {
  return node?.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === name
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

/** A member read that may be a method handed out (`super.update` too): not `#x`, not an index `a[0]`. */
function isEscapingRead(n: ESTree.MemberExpression): boolean {
  return (
    n.property.type !== 'PrivateIdentifier' &&
    !(n.computed && n.property.type === 'Literal' && typeof n.property.value === 'number')
  )
}

const EQUALITY = new Set(['===', '!==', '==', '!='])

// --- top-level facts ---------------------------------------------------------------------------------

/** Classes and the aliases Oxc's decorator lowering gives them (`Enemy = _Enemy = _decorate([...], Enemy)`). */
function classBindings(scope: ModuleScope, program: ESTree.Program): Set<string> {
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

function variableStatements(program: ESTree.Program): Analysis['variables'] {
  const out: Analysis['variables'] = []
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
function plainClasses(program: ESTree.Program, scope: ModuleScope, reloadable: Set<string>): Analysis['plainClasses'] {
  const out: Analysis['plainClasses'] = []
  for (const stmt of program.body) {
    const cls = stmt.type === 'ExportNamedDeclaration' ? stmt.declaration : stmt
    if (cls?.type !== 'ClassDeclaration' || !cls.id) continue
    const binding = scope.bindings.get(cls.id.name)
    if (!binding || binding.refs.some((r) => r.write) || reloadable.has(cls.id.name)) continue
    out.push({ stmt, cls: cls as ESTree.Class & { id: ESTree.BindingIdentifier } })
  }
  return out
}

function defaultData(program: ESTree.Program, scope: ModuleScope): Analysis['defaultData'] {
  const stmt = program.body.find((n) => n.type === 'ExportDefaultDeclaration')
  const value = stmt?.declaration
  if (!stmt || !value || (value.type !== 'ObjectExpression' && value.type !== 'ArrayExpression')) return undefined
  if (scope.bindings.has('default')) return undefined
  return { stmt, value }
}

function exportFacts(program: ESTree.Program): ExportFacts {
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
