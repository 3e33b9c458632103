import type { ESTree } from 'vite'
import { parseAst } from '../parse.ts'
import { moduleExportName } from './names.ts'
import { withoutNumberLists } from './number-lists.ts'
import { twinFieldBodies } from './field-shapes.ts'
import type { FieldBody } from './field-shapes.ts'
import { findReloadableClasses, namedClasses } from './reloadable-classes.ts'
import type { ReloadableClass } from './reloadable-classes.ts'
import { moduleScopeNames } from './module-names.ts'
import { resolveScope } from './scope.ts'
import type { ModuleScope } from './scope.ts'
import { walkModule } from './sites.ts'
import type { Destructuring } from './sites.ts'
import { classBindings, defaultData, exportFacts, plainClasses, variableStatements } from './top-level.ts'
import type { DefaultData, ExportFacts, PlainClass, VariableStatement } from './top-level.ts'

/**
 * Everything the transform's emitters need to know about one module, found in one parse, one walk
 * (sites.ts), eslint-scope's resolution (scope.ts) and a look at the top-level statements
 * (top-level.ts, reloadable-classes.ts). The emitters read this and write through the MagicString; none
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
  captures: Array<ESTree.MemberExpression | ESTree.ChainExpression>
  /** Destructurings that name a method the module declares (`const { update } = this`). */
  destructurings: Destructuring[]
  /** Top-level variable declarations (module state). */
  variables: VariableStatement[]
  /** Top-level classes that are not reloadable, kept like a `const`. */
  plainClasses: PlainClass[]
  /** `export default { ... }`, kept like a variable. */
  defaultData: DefaultData | undefined
  /** Re-exports and default exports, for the swappable decision. */
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

export interface AnalyseOptions {
  isHotclassEntry: (specifier: string) => boolean
  /** The module lowered with define semantics for class fields (see TransformOptions.fieldsSource). */
  fieldsSource?: string | undefined
}

/** Parse and analyse one module. Throws what `parseAst` throws for code that does not parse. */
export function analyse(code: string, options: AnalyseOptions): Analysis {
  // Offsets and lines are the module's own; only long lists of numbers are left out of the AST.
  const program = parseAst(withoutNumberLists(code))
  const imports = readImports(program, options.isHotclassEntry)
  const sites = walkModule(program, imports.reloadable, !imports.testTooling, moduleScopeNames(program))
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
    destructurings: sites.destructurings,
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
