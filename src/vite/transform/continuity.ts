import { createHash } from 'node:crypto'
import { reloadableBindings } from './decorated.ts'
import { functionsPass } from './functions.ts'
import type { TransformContext } from './index.ts'
import { lifecycleCallsPass } from './lifecycle-calls.ts'
import { moduleStatePass } from './module-state.ts'
import { analyzeModule } from './scope.ts'
import type { Node } from './names.ts'
import type { ModuleScope } from './scope.ts'

/**
 * The continuity transform's shared state for one module: the scope analysis (done once), the names
 * it generates, and what its steps add to the preamble. The steps (module state, functions, `once`)
 * edit through `ctx.s`; the preamble is prepended last, so it runs before any of the module's code.
 */
export interface Continuity {
  ctx: TransformContext
  scope: ModuleScope
  /** Prefix of every generated name, chosen so it occurs nowhere in the module. */
  prefix: string
  /** The module's store: `<prefix>m`. */
  store: string
  /** Lines of the preamble, after the store is created. */
  preamble: string[]
  meta: { vars: string[]; fns: string[]; once: string[] }
  /** Exported bindings whose value the store may change, as [store key, local name]: every version's export follows. */
  mirrored: Array<[string, string]>
  /** Class bindings (declarations, Oxc's `let X = class ...` and its `_X` alias): never module state. */
  classes: Set<string>
  /** Every export the transform keeps live across versions, by local name. */
  covered: Set<string>
  /** A `dispose()` call needs the store even in a module with nothing else to keep. */
  needsStore: boolean
}

/** A short, stable digest of a declaration's text: equal text, equal hash. */
export function hashText(text: string): string {
  return createHash('sha1').update(text).digest('base64url').slice(0, 12)
}

function pickPrefix(code: string): string {
  let prefix = '__hc'
  for (let i = 1; code.includes(prefix); i++) prefix = `__hc${i}`
  return prefix
}

/** Classes and the aliases Oxc's decorator lowering gives them (`Enemy = _Enemy = _decorate([...], Enemy)`). */
function classBindings(scope: ModuleScope, program: Node): Set<string> {
  const out = new Set<string>()
  for (const b of scope.bindings.values()) {
    if (b.kind === 'class') out.add(b.name)
    let init = b.node?.type === 'VariableDeclarator' ? (b.node['init'] as Node | null) : null
    // `let X = _X = class X {}`: X and the alias both name the class.
    const aliases: string[] = []
    while (init?.type === 'AssignmentExpression' && (init['left'] as Node).type === 'Identifier') {
      aliases.push((init['left'] as Node)['name'] as string)
      init = init['right'] as Node
    }
    if (init?.type === 'ClassExpression') for (const n of [b.name, ...aliases]) out.add(n)
    // `reloadable(...)(class { ... })`: the classes pass defines it on every evaluation.
    if (init?.type === 'CallExpression' && (init['arguments'] as Node[])[0]?.type === 'ClassExpression') out.add(b.name)
  }
  for (const stmt of program['body'] as Node[]) {
    if (stmt.type !== 'ExpressionStatement') continue
    const names: string[] = []
    let expr = stmt['expression'] as Node
    while (expr.type === 'AssignmentExpression' && (expr['left'] as Node).type === 'Identifier') {
      names.push((expr['left'] as Node)['name'] as string)
      expr = expr['right'] as Node
    }
    if (names.some((n) => out.has(n))) for (const n of names) out.add(n)
  }
  return out
}

/**
 * The continuity pass: module-level state kept in a per-module store, top-level functions with stable
 * identities, `once`/`dispose` call sites keyed, and the swappability that follows. Runs before the
 * module-id pass. Modules it finds nothing to keep in are left untouched.
 */
export function continuityPass(ctx: TransformContext): void {
  const program = ctx.ast as unknown as Node
  const scope = analyzeModule(ctx.ast)
  const prefix = pickPrefix(ctx.code)
  const c: Continuity = {
    ctx,
    scope,
    prefix,
    store: `${prefix}m`,
    preamble: [],
    meta: { vars: [], fns: [], once: [] },
    mirrored: [],
    classes: classBindings(scope, program),
    covered: new Set(ctx.reloadableName ? reloadableBindings(ctx.ast, ctx.reloadableName) : []),
    needsStore: false,
  }
  moduleStatePass(c)
  functionsPass(c)
  lifecycleCallsPass(c)
  const { vars, fns, once } = c.meta
  if (vars.length + fns.length + once.length === 0 && !c.needsStore) return

  const lines = [
    `import { __module as ${prefix}module } from "hotclass";`,
    `const ${c.store} = ${prefix}module(${JSON.stringify(ctx.id)}, ${JSON.stringify(c.meta)});`,
  ]
  ctx.s.prepend(`${[...lines, ...c.preamble].join('\n')}\n`)
  // Exports follow the store from the end of the module: no binding is in its TDZ by then, and a version
  // that throws while evaluating never registers. The store holds the setters weakly; the module's scope
  // holds them strongly, so they last exactly as long as this version. Each setter names the list: V8
  // keeps a module variable in the scope object only when a closure uses it (else the list was collected
  // right after the module ran, and the exports stopped following).
  if (c.mirrored.length > 0) {
    const setters = c.mirrored.map(([, local]) => `(${prefix}v) => { ${local} = ${prefix}v; return ${prefix}mirrors; }`)
    const calls = c.mirrored.map(([key], i) => `${c.store}.mirror(${JSON.stringify(key)}, ${prefix}mirrors[${i}]);`)
    ctx.s.append(`\nconst ${prefix}mirrors = [${setters.join(', ')}];\n${calls.join('\n')}\n`)
  }
  if (exportsCovered(program, c)) ctx.swappable = true
}

/**
 * Whether every export stays live when the module is re-evaluated in place: reloadable classes,
 * functions (stable wrappers) and kept variables (mirrored into every version). A re-export, a plain
 * class or an anonymous default would leave importers holding the old value, so such a module falls
 * back to the host's normal update. A module without exports is not swapped in place either.
 */
function exportsCovered(program: Node, c: Continuity): boolean {
  let exported = 0
  for (const stmt of program['body'] as Node[]) {
    if (stmt.type === 'ExportAllDeclaration') return false
    if (stmt.type === 'ExportNamedDeclaration' && stmt['source']) return false
    if (stmt.type === 'ExportDefaultDeclaration') {
      const decl = stmt['declaration'] as Node
      const id = decl.type === 'Identifier' ? decl : (decl['id'] as Node | null | undefined)
      if (id?.type === 'Identifier' && c.covered.has(id['name'] as string)) exported++
      else if (!c.covered.has('default')) return false
    }
  }
  for (const b of c.scope.bindings.values()) {
    if (b.exportedAs.length === 0) continue
    if (!c.covered.has(b.name)) return false
    exported += b.exportedAs.length
  }
  return exported > 0
}
