import type { Continuity } from './continuity-state.ts'
import { hashText } from './hash.ts'

/**
 * Top-level functions keep their identity across swaps. The first version's binding is replaced, before
 * any module code runs, by a wrapper that forwards to the newest implementation; later versions rebind
 * their name to that same wrapper. So a ticker, an event emitter or an importer holding `update` from any
 * version calls the newest body, and `ticker.remove(update)` in a new version finds what an old one added.
 *
 * The wrapper is written into the module (not made by a shared runtime closure) so each function's call
 * site has its own type feedback, and the runtime keeps the body where V8 folds it into a constant (see
 * core/continuity/function-cell.ts): both hops inline, measured at 1.0x a direct call, before and after
 * swaps. `this`, `new` and any number of arguments pass through; a function declaration stays hoisted
 * (code that runs before the preamble, in an import cycle, calls the implementation directly).
 * Exported or not: a callback registered once is as much a "caller holding the old function" as an importer.
 */
export function functionsEmitter(c: Continuity): void {
  const p = c.prefix
  for (const b of c.ctx.a.scope.bindings.values()) {
    if (b.kind !== 'function' || b.node?.type !== 'FunctionDeclaration' || !b.statement) continue
    // A function the module itself reassigns is a variable in disguise: leave it alone.
    if (b.refs.some((r) => r.write) || c.ctx.a.classBindings.has(b.name)) continue
    const cell = `${p}f_${b.name}`
    const f = `${p}f`
    const a = `${p}a`
    const wrapper =
      `function ${b.name}(...${a}) { const ${f} = ${cell}.v; ` +
      `if (new.target !== undefined) return Reflect.construct(${f}, ${a}, new.target); ` +
      `return this === undefined ? ${f}(...${a}) : Reflect.apply(${f}, this, ${a}); }`
    // The digest of the declaration as written: what the report compares (how a version was evaluated
    // changes the function's text: Vite's module runner reads an import as `__vite_ssr_import_0__.x`).
    const node = b.node
    const digest = JSON.stringify(hashText(c.ctx.code.slice(node.start, node.end)))
    c.preamble.push(
      `const ${cell} = ${c.store}.fn(${JSON.stringify(b.name)}, ${b.name}, ${digest});`,
      `${b.name} = ${cell}.w ??= ${c.store}.wrap(${wrapper}, ${cell});`,
    )
    c.meta.fns.push(b.name)
    c.ctx.covered.add(b.name)
  }
}
