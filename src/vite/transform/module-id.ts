import type { TransformContext } from './context.ts'
import { infoProperties } from './context.ts'

/**
 * Give every `reloadable(...)` call its module id and the extras earlier emitters recorded:
 * `reloadable(opts)` -> `reloadable(opts, { module: "demo/Enemy.ts", fields: {...} })`. The module id
 * keys the class as `module#Name`, so two modules may both define a `Player`.
 */
export function moduleIdEmitter(ctx: TransformContext): void {
  for (const { call, binding } of ctx.a.reloadableCalls) {
    // A second argument is the transform's own; finding one means the code was transformed already.
    if (call.arguments.length >= 2 || ctx.loweredCalls.has(call)) continue
    const extras = binding ? infoProperties(ctx.classInfo.get(binding)) : []
    const info = `{ ${[`module: ${JSON.stringify(ctx.id)}`, ...extras].join(', ')} }`
    const [first] = call.arguments
    if (first) ctx.s.appendLeft(first.end, `, ${info}`)
    else ctx.s.appendLeft(call.end - 1, `undefined, ${info}`)
  }
}
