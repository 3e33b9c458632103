import type { Continuity } from './continuity-state.ts'
import type { TransformContext } from './context.ts'
import { functionsEmitter } from './functions.ts'
import { lifecycleCallsEmitter } from './lifecycle-calls.ts'
import { moduleStateEmitter } from './module-state.ts'
import { freshName } from './names.ts'

/**
 * The continuity emitter: module-level state kept in a per-module store, top-level functions with stable
 * identities, `once`/`dispose` call sites keyed. Runs first. What it keeps live joins `ctx.covered`, from
 * which swappable.ts decides. Modules it finds nothing to keep in are left untouched.
 */
export function continuityEmitter(ctx: TransformContext): void {
  const prefix = freshName(ctx.code, '__hc')
  const c: Continuity = {
    ctx,
    prefix,
    store: `${prefix}m`,
    preamble: [],
    meta: { vars: [], fns: [], once: [] },
    mirrored: [],
    needsStore: false,
  }
  moduleStateEmitter(c)
  functionsEmitter(c)
  lifecycleCallsEmitter(c)
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
}
