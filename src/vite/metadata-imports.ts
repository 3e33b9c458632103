import MagicString from 'magic-string'
import { parseSync, Visitor } from 'oxc-parser'
import type { CallExpression, IdentifierReference, ImportDeclaration, ImportSpecifier, Program } from 'oxc-parser'

/**
 * With `emitDecoratorMetadata`, a constructor parameter typed with an imported name becomes
 * `typeof T === "undefined" ? Object : T`, and Oxc, which has no type information, keeps the import of
 * `T`. When `T` is a type (`import { Match3Type } from './utils'`, a type alias), the browser refuses the
 * whole module graph — "does not provide an export named 'Match3Type'" — and the page is blank;
 * TypeScript, which knows `T` is a type, writes `Object`. An import used only inside decorator metadata is
 * therefore read through a namespace import (`ns.Match3Type`), which never fails: a type gives
 * `undefined`, hence `Object`, as TypeScript writes, and a class (what a DI container wants) is itself.
 *
 * Edits keep every line where it was, so the lowering's source map stays right line for line.
 */
export function metadataSafeImports(file: string, code: string): string {
  const helper = /import (\w+) from "@oxc-project\/runtime\/helpers\/decorateMetadata";/.exec(code)?.[1]
  if (!helper) return code
  const program = parseSync(file, code, { lang: 'js', sourceType: 'module' }).program
  const found = scan(program, helper)
  const s = new MagicString(code)
  let n = 0
  for (const decl of found.imports) {
    if (decl.attributes.length > 0 || decl.specifiers.some((sp) => sp.type === 'ImportNamespaceSpecifier')) continue
    const onlyMeta = decl.specifiers.filter((sp) => {
      const uses = found.uses.get(sp.local.name) ?? []
      return uses.length > 0 && uses.every((u) => found.inMetadata(u))
    })
    if (onlyMeta.length === 0) continue
    const ns = `__hotclass_meta${n++}`
    const source = JSON.stringify(decl.source.value)
    const kept = decl.specifiers.filter((sp) => !onlyMeta.includes(sp))
    const def = kept.find((sp) => sp.type === 'ImportDefaultSpecifier')
    const named = kept.flatMap((sp) => (sp.type === 'ImportSpecifier' ? [code.slice(sp.start, sp.end)] : []))
    const clause = [def?.local.name, named.length > 0 ? `{ ${named.join(', ')} }` : undefined].filter(Boolean)
    const keptImport = clause.length > 0 ? `import ${clause.join(', ')} from ${source}; ` : ''
    s.overwrite(decl.start, decl.end, `${keptImport}import * as ${ns} from ${source};`)
    for (const sp of onlyMeta) {
      const exported = sp.type === 'ImportSpecifier' ? memberOf(sp.imported) : '.default'
      for (const use of found.uses.get(sp.local.name) ?? []) s.overwrite(use.start, use.end, `${ns}${exported}`)
    }
  }
  return s.hasChanged() ? s.toString() : code
}

function memberOf(name: ImportSpecifier['imported']): string {
  return name.type === 'Literal' ? `[${JSON.stringify(name.value)}]` : `.${name.name}`
}

interface Scan {
  helper: string
  imports: ImportDeclaration[]
  metadata: CallExpression[]
  identifiers: IdentifierReference[]
}

// One visitor for the life of the process, reading the scan in progress from `current`: Oxc's visitor
// keeps every Visitor's callbacks alive (oxc-project/oxc#25510).
let current: Scan | undefined
const visitor = new Visitor({
  ImportDeclaration(node) {
    current!.imports.push(node)
  },
  CallExpression(node) {
    if (node.callee.type === 'Identifier' && node.callee.name === current!.helper) current!.metadata.push(node)
  },
  Identifier(node) {
    // Property names and binding names are counted too: a name used anywhere else keeps its import.
    if (node.type === 'Identifier') current!.identifiers.push(node as IdentifierReference)
  },
})

function scan(program: Program, helper: string) {
  const state: Scan = { helper, imports: [], metadata: [], identifiers: [] }
  current = state
  try {
    visitor.visit(program)
  } finally {
    current = undefined
  }
  const inImport = (at: number) => state.imports.some((d) => d.start <= at && at < d.end)
  const uses = new Map<string, IdentifierReference[]>()
  for (const id of state.identifiers) {
    if (inImport(id.start)) continue
    let list = uses.get(id.name)
    if (!list) uses.set(id.name, (list = []))
    list.push(id)
  }
  const inMetadata = (id: IdentifierReference) =>
    state.metadata.some(
      (call) => call.arguments[0] !== undefined && call.arguments[0].end <= id.start && id.end <= call.end,
    )
  return { imports: state.imports, uses, inMetadata }
}
