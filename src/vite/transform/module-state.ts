import type { ESTree } from 'vite'
import { cellName } from './continuity-state.ts'
import type { Continuity } from './continuity-state.ts'
import { hashText } from './hash.ts'
import { patternNames } from './names.ts'
import { refsWithin } from './scope.ts'
import type { TopBinding } from './scope.ts'
import type { TopStatement } from './reloadable-classes.ts'

/**
 * Module-level state that survives a swap (silly.patch's upvalue joining, done at compile time).
 *
 * - `keep`: a top-level variable never reassigned. Its declaration becomes
 *   `x = store.keep("x", hash, deps) ? store.get("x") : store.init("x", INIT)`: an unchanged declaration
 *   takes the stored value without evaluating the initialiser; an edited one (or one whose initialiser
 *   reads a re-initialised binding) is evaluated again, plain data being merged into the old object.
 *   The binding stays a plain local: reading it costs nothing.
 * - `cell`: a variable assigned anywhere. Every read and write becomes `cell.v`, where the cell is
 *   shared by every version of the module, so old closures and new code read and write one slot.
 * - Exported variables are `let` bindings that every version's mirror assigns, so an importer that
 *   still holds an older version of the module sees the value the newest code wrote or declared.
 * - `export default { ... }` / `[ ... ]` is kept like a variable named `default`.
 */

type Mode = 'untouched' | 'keep' | 'cell' | 'cellExported' | 'cellPattern'

interface Plan {
  mode: Mode
  d: ESTree.VariableDeclarator
  names: string[]
  key: string
  exported: boolean
}

function plan(c: Continuity, d: ESTree.VariableDeclarator, counts: Map<string, number>): Plan {
  const id = d.id
  const names = patternNames(id)
  const bindings = names.map((n) => c.ctx.a.scope.bindings.get(n)).filter((b): b is TopBinding => b !== undefined)
  const exported = bindings.some((b) => b.exportedAs.length > 0)
  const base = { d, names, key: names.join(','), exported }
  const untouched = { ...base, mode: 'untouched' as const }
  // Classes are the core's business; a name declared twice (`var x; var x = 1`) has no single declaration.
  if (names.length === 0 || names.some((n) => c.ctx.a.classBindings.has(n) || counts.get(n) !== 1)) return untouched
  if (id.type !== 'Identifier') return exported ? untouched : { ...base, mode: 'cellPattern' }
  const reassigned = bindings[0]!.refs.some((r) => r.write)
  if (reassigned) return { ...base, mode: exported ? 'cellExported' : 'cell' }
  return d.init ? { ...base, mode: 'keep' } : untouched
}

/** Decide and rewrite every top-level variable, then rewrite the references of cell bindings. */
export function moduleStateEmitter(c: Continuity): void {
  const a = c.ctx.a
  const counts = new Map<string, number>()
  for (const { decl } of a.variables) {
    for (const d of decl.declarations) for (const n of patternNames(d.id)) counts.set(n, (counts.get(n) ?? 0) + 1)
  }
  const plans = a.variables.map(({ stmt, decl }) => ({
    stmt,
    decl,
    plans: decl.declarations.map((d) => plan(c, d, counts)),
  }))
  const handled = new Set(plans.flatMap((p) => p.plans.filter((x) => x.mode !== 'untouched').flatMap((x) => x.names)))
  const cells = new Set(plans.flatMap((p) => p.plans.filter((x) => x.mode.startsWith('cell')).flatMap((x) => x.names)))

  for (const { cls } of a.plainClasses) handled.add(cls.id.name)

  // References first: declaration rewrites insert around initialisers whose identifiers may be rewritten.
  for (const name of cells) rewriteRefs(c, a.scope.bindings.get(name)!)
  for (const { stmt, decl, plans: list } of plans) rewriteDeclaration(c, stmt, decl, list, handled)
  for (const { stmt, cls } of a.plainClasses) keepPlainClass(c, stmt, cls, handled)
  defaultData(c, handled)

  for (const name of cells) c.preamble.push(`const ${cellName(c, name)} = ${c.store}.cell(${JSON.stringify(name)});`)
  for (const name of handled) {
    c.meta.vars.push(name)
    const b = a.scope.bindings.get(name)!
    if (b.exportedAs.length > 0) {
      c.mirrored.push([name, name])
      c.ctx.covered.add(name)
    }
  }
}

function rewriteRefs(c: Continuity, b: TopBinding): void {
  const cell = `${cellName(c, b.name)}.v`
  for (const ref of b.refs) {
    if (ref.exportSpecifier) continue
    const text = ref.callee ? `(0, ${cell})` : ref.shorthand ? `${b.name}: ${cell}` : cell
    c.ctx.s.overwrite(ref.id.start, ref.id.end, text)
    // A write to an exported cell passes the new value on to the export of every version.
    if (ref.write && ref.writeExpr && b.exportedAs.length > 0) {
      c.ctx.s.appendLeft(ref.writeExpr.start, `${cellName(c, b.name)}.sync(`)
      c.ctx.s.appendLeft(ref.writeExpr.end, ')')
    }
  }
}

/**
 * `store.keep("x", "<hash>", ["dep"])` for the declaration text in `[start, end)`: the deps are handled
 * bindings the initialiser reads, so `const grid = makeGrid(SIZE)` is re-run when `SIZE` is edited.
 */
function keepCall(
  c: Continuity,
  key: string,
  start: number,
  end: number,
  init: ESTree.Node | null,
  handled: Set<string>,
): string {
  const own = key.split(',')
  const deps = init
    ? [...new Set(refsWithin(c.ctx.a.scope.refs, init.start, init.end).map((r) => r.name))].filter(
        (n) => handled.has(n) && !own.includes(n),
      )
    : []
  const hash = hashText(c.ctx.code.slice(start, end))
  // Data the declaration itself makes (`[]`, `{}`, `new Map()`): a swap that fails puts its contents
  // back. An object it only points at (a global log) is someone else's, and is left alone.
  const owned = init !== null && isDataLiteral(init) ? ', true' : ''
  return `${c.store}.keep(${JSON.stringify(key)}, ${JSON.stringify(hash)}, ${JSON.stringify(deps)}${owned})`
}

function isDataLiteral(init: ESTree.Node): boolean {
  if (init.type === 'ArrayExpression' || init.type === 'ObjectExpression') return true
  const callee = init.type === 'NewExpression' ? init.callee : undefined
  return callee?.type === 'Identifier' && (callee.name === 'Map' || callee.name === 'Set')
}

function rewriteDeclaration(
  c: Continuity,
  stmt: TopStatement,
  decl: ESTree.VariableDeclaration,
  plans: Plan[],
  handled: Set<string>,
): void {
  const s = c.ctx.s
  const store = c.store
  const kind = decl.kind
  const keeps = plans.map((p) => keepCall(c, p.key, p.d.start, p.d.end, p.d.init, handled))
  plans.forEach((p, i) => {
    const init = p.d.init
    const key = JSON.stringify(p.key)
    // The `=` after the binding: the initialiser's own range leaves out its parentheses.
    const eq = init ? c.ctx.code.indexOf('=', p.d.id.end) + 1 : -1
    const keep = keeps[i]!
    switch (p.mode) {
      case 'keep':
        s.appendLeft(eq, ` ${keep} ? ${store}.get(${key}) : ${store}.init(${key},`)
        s.appendLeft(p.d.end, ')')
        break
      case 'cell':
        if (init) {
          s.overwrite(p.d.start, eq, `${keep} || ${store}.init(${key},`)
          s.appendLeft(p.d.end, ')')
        } else s.overwrite(p.d.start, p.d.end, `${keep} || ${store}.init(${key}, void 0)`)
        break
      case 'cellExported': {
        const value = `${cellName(c, p.key)}.v`
        if (init) {
          s.appendLeft(eq, ` (${keep} || ${store}.init(${key},`)
          s.appendLeft(p.d.end, `), ${value})`)
        } else s.appendLeft(p.d.end, ` = (${keep} || ${store}.init(${key}, void 0), ${value})`)
        break
      }
      case 'cellPattern':
        rewritePattern(c, p.d.id)
        s.appendLeft(p.d.end, `), ${store}.declared(${key}))`)
        break
      case 'untouched':
        break
    }
  })

  const split = plans.some((p) => p.mode.startsWith('cell') || (p.mode === 'keep' && p.exported && kind === 'const'))
  if (!split) return
  // Cell declarators become expression statements: cut the declaration into one statement each.
  const exp = stmt.type === 'ExportNamedDeclaration' ? 'export ' : ''
  let prev = stmt.start
  plans.forEach((p, i) => {
    let open = `${exp}${kind} `
    if (p.mode === 'cell') open = ''
    else if (p.mode === 'cellPattern') open = `${keeps[i]!} || ((`
    else if (p.mode === 'cellExported' || (p.mode === 'keep' && p.exported)) open = `${exp}let `
    s.overwrite(prev, p.d.start, `${i > 0 ? ';\n' : ''}${open}`)
    prev = p.d.end
  })
  if (prev < stmt.end) s.overwrite(prev, stmt.end, ';')
  else s.appendLeft(stmt.end, ';')
}

/** The identifiers a destructuring declaration binds become cell targets: `{ a, b: [c] }` -> `{ a: A.v, b: [C.v] }`. */
function rewritePattern(c: Continuity, node: ESTree.Node | null): void {
  if (!node) return
  const s = c.ctx.s
  switch (node.type) {
    case 'Identifier':
      s.overwrite(node.start, node.end, `${cellName(c, node.name)}.v`)
      return
    case 'ObjectPattern':
      for (const p of node.properties) {
        if (p.type === 'RestElement') rewritePattern(c, p.argument)
        else if (p.shorthand) {
          const id = p.value.type === 'AssignmentPattern' ? p.value.left : p.value
          if (id.type !== 'Identifier') continue
          s.overwrite(id.start, id.end, `${id.name}: ${cellName(c, id.name)}.v`)
        } else rewritePattern(c, p.value)
      }
      return
    case 'ArrayPattern':
      for (const e of node.elements) rewritePattern(c, e)
      return
    case 'AssignmentPattern':
      rewritePattern(c, node.left)
      return
    case 'RestElement':
      rewritePattern(c, node.argument)
      return
  }
}

function keepPlainClass(
  c: Continuity,
  stmt: TopStatement,
  cls: ESTree.Class & { id: ESTree.BindingIdentifier },
  handled: Set<string>,
): void {
  const name = cls.id.name
  const key = JSON.stringify(name)
  const keep = keepCall(c, name, cls.start, cls.end, cls, handled)
  const exported = stmt !== cls
  // An exported one is a `let` every version's mirror assigns, as for kept exported variables.
  const open = `${exported ? 'export let' : 'const'} ${name} = ${keep} ? ${c.store}.get(${key}) : ${c.store}.init(${key}, `
  if (exported) c.ctx.s.overwrite(stmt.start, cls.start, open)
  else c.ctx.s.prependRight(cls.start, open)
  c.ctx.s.appendLeft(cls.end, ');')
}

/** `export default { ... }`: kept and merged in place like a variable, exported through a mirrored binding. */
function defaultData(c: Continuity, handled: Set<string>): void {
  const found = c.ctx.a.defaultData
  if (!found) return
  const { stmt, value: decl } = found
  const local = `${c.prefix}default`
  const keep = keepCall(c, 'default', decl.start, decl.end, decl, handled)
  c.ctx.s.overwrite(
    stmt.start,
    decl.start,
    `let ${local} = ${keep} ? ${c.store}.get("default") : ${c.store}.init("default", `,
  )
  c.ctx.s.appendLeft(decl.end, ')')
  c.ctx.s.appendLeft(stmt.end, `\nexport { ${local} as default };`)
  c.meta.vars.push('default')
  c.ctx.covered.add('default')
  c.mirrored.push(['default', local])
}
