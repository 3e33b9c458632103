import { Referencer, ScopeManager } from 'eslint-scope'
import type { AnalyzeOptions, Variable } from 'eslint-scope'
import type { ESTree } from 'vite'
import { moduleExportName } from './names.ts'
import { reference } from './reference.ts'
import type { Parents, Reference } from './reference.ts'
import type { TopStatement } from './reloadable-classes.ts'

/**
 * The continuity transform's view of a module's scopes: its top-level bindings and every reference that
 * resolves to one (not to a same-named parameter or inner declaration), with whether it writes.
 * Resolution is eslint-scope's; what a rewrite needs to know about a reference's place in the code
 * (shorthand, callee, export specifier, the assignment it belongs to) is read from the AST around it.
 * Module code is strict and has no `with`, so the lexical resolution is exact.
 */

export type { Reference }

export type BindingKind = 'var' | 'let' | 'const' | 'function' | 'class' | 'import'

export interface TopBinding {
  name: string
  kind: BindingKind
  /** The statement in the program body that declares it (for `var` nested in a block: undefined). */
  statement: TopStatement | undefined
  /** The variable declarator or function/class declaration. */
  node: ESTree.Node | undefined
  /** Names it is exported as (`default` included). */
  exportedAs: string[]
  refs: Reference[]
}

export interface ModuleScope {
  bindings: Map<string, TopBinding>
  /** Every reference to a top-level binding, in source order. */
  refs: Reference[]
}

const OPTIONS: Omit<AnalyzeOptions, 'childVisitorKeys'> = {
  sourceType: 'module',
  ecmaVersion: 2026, // eslint-scope only asks whether it is at least 6
  // estraverse's visitor keys, and every key of a node they do not know (a static block, a decorator).
  // Not ESLint's `childVisitorKeys`: esrecurse copies them into every visitor it makes, and eslint-scope
  // makes one per pattern, which made the analysis of the demo 8x slower (12 ms against 1.5 ms).
  fallback: 'iteration',
  // A direct `eval` would otherwise leave every reference in its enclosing scopes unresolved, so the
  // module's writes would go unseen; the hand-written analysis before this ignored it too.
  ignoreEval: true,
}

/**
 * eslint-scope's Referencer skips decorators (ESLint's own parser has none); typescript-eslint's first
 * scope analysis subclassed it the same way. A class's decorators run in the scope around it, a member's
 * in the class scope, before a field's initialiser scope opens.
 */
class DecoratorReferencer extends Referencer {
  constructor(
    options: ConstructorParameters<typeof Referencer>[0],
    manager: ScopeManager,
    private readonly skip: ReadonlySet<ESTree.Node>,
  ) {
    super(options, manager)
  }
  /**
   * A function that names no module-scope binding anywhere inside it (not its own name, a parameter or
   * an inner declaration) can neither refer to one nor shadow one: nothing in it changes what the
   * module's bindings and their references are. Most of a data-heavy module is such functions.
   */
  override visitFunction(node: Parameters<Referencer['visitFunction']>[0]): void {
    if (!this.skip.has(node as unknown as ESTree.Node)) super.visitFunction(node)
  }
  override visitClass(node: Parameters<Referencer['visitClass']>[0]): void {
    visitDecorators(this, node)
    super.visitClass(node)
  }
  override PropertyDefinition(node: Parameters<Referencer['PropertyDefinition']>[0]): void {
    visitDecorators(this, node)
    super.PropertyDefinition(node)
  }
  override MethodDefinition(node: Parameters<Referencer['MethodDefinition']>[0]): void {
    visitDecorators(this, node)
    super.MethodDefinition(node)
  }
  AccessorProperty(node: Parameters<Referencer['PropertyDefinition']>[0]): void {
    this.PropertyDefinition(node)
  }
  /** A literal names nothing: no child lookup for each of the numbers in a level's data. */
  Literal(): void {}
  /** estraverse's keys stop at `source`: `import(url, { with: { type } })` reads names too. */
  ImportExpression(node: ESTree.ImportExpression): void {
    this.visit(node.source)
    this.visit(node.options)
  }
}

function visitDecorators(referencer: Referencer, node: object): void {
  for (const d of (node as { decorators?: ESTree.Decorator[] }).decorators ?? []) referencer.visit(d)
}

/**
 * Resolve a module's top-level bindings and the references to them. `parents` links each identifier and
 * destructuring node to its parent, and identifiers and function bodies carry the `range` eslint-scope
 * reads: the analysis walk (sites.ts) fills both in, and finds the functions in `skip`, which name none
 * of the module's bindings (module-names.ts).
 */
export function resolveScope(
  program: ESTree.Program,
  parents: Parents,
  skip: ReadonlySet<ESTree.Node> = new Set(),
): ModuleScope {
  const manager = new ScopeManager(OPTIONS)
  new DecoratorReferencer(OPTIONS, manager, skip).visit(program)
  const moduleScope = manager.globalScope!.childScopes[0]!

  const statements = topStatements(program)
  const bindings = new Map<string, TopBinding>()
  const refs: Reference[] = []
  for (const variable of moduleScope.variables) {
    const binding = topBinding(variable, statements)
    bindings.set(variable.name, binding)
    const seen = new Set<unknown>()
    for (const r of variable.references) {
      // A declarator's own name is a write with `init`; `({ a = 1 } = o)` gives `a` two references.
      if (r.init || seen.has(r.identifier)) continue
      seen.add(r.identifier)
      refs.push(reference(r.identifier as unknown as ESTree.IdentifierReference, r.isWrite(), parents))
    }
  }
  exportSpecifiers(program, bindings)
  refs.sort((a, b) => a.id.start - b.id.start)
  for (const ref of refs) bindings.get(ref.name)!.refs.push(ref)
  return { bindings, refs }
}

/** The references whose identifier lies inside `[start, end)`, by binary search over the sorted list. */
export function refsWithin(refs: readonly Reference[], start: number, end: number): Reference[] {
  let lo = 0
  let hi = refs.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (refs[mid]!.id.start < start) lo = mid + 1
    else hi = mid
  }
  const out: Reference[] = []
  for (let i = lo; i < refs.length && refs[i]!.id.start < end; i++) out.push(refs[i]!)
  return out
}

// --- what eslint-scope does not give: program statements and exports (a reference's place: reference.ts)

/** Each statement of the program body, and each declaration an export wraps, to its body statement. */
function topStatements(program: ESTree.Program): Map<ESTree.Node, TopStatement> {
  const out = new Map<ESTree.Node, TopStatement>()
  for (const stmt of program.body) {
    out.set(stmt, stmt)
    if (stmt.type === 'ExportNamedDeclaration' || stmt.type === 'ExportDefaultDeclaration') {
      if (stmt.declaration) out.set(stmt.declaration, stmt)
    }
  }
  return out
}

/** A module-scope variable as a binding: its first declaration in the program body, and its exports. */
function topBinding(variable: Variable, statements: Map<ESTree.Node, TopStatement>): TopBinding {
  const binding: TopBinding = {
    name: variable.name,
    kind: 'var',
    statement: undefined,
    node: undefined,
    exportedAs: [],
    refs: [],
  }
  for (const def of variable.defs) {
    const declaration = def.type === 'Variable' || def.type === 'ImportBinding' ? def.parent : def.node
    const statement = statements.get(declaration as unknown as ESTree.Node)
    if (!statement) continue // a `var` nested in a block
    if (statement.type === 'ExportNamedDeclaration') binding.exportedAs.push(variable.name)
    if (statement.type === 'ExportDefaultDeclaration') binding.exportedAs.push('default')
    if (binding.statement) continue
    binding.statement = statement
    binding.node = def.node as unknown as ESTree.Node
    if (def.type === 'Variable') binding.kind = def.kind as BindingKind
    else binding.kind = def.type === 'ImportBinding' ? 'import' : def.type === 'ClassName' ? 'class' : 'function'
  }
  return binding
}

/** `export { x as y }` (without `from`): `y` is a name `x` is exported as. */
function exportSpecifiers(program: ESTree.Program, bindings: Map<string, TopBinding>): void {
  for (const stmt of program.body) {
    if (stmt.type !== 'ExportNamedDeclaration' || stmt.source) continue
    for (const spec of stmt.specifiers)
      bindings.get(moduleExportName(spec.local))?.exportedAs.push(moduleExportName(spec.exported))
  }
}
