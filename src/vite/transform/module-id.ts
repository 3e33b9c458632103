import { findReloadableCalls } from './decorated.ts'
import type { TransformContext } from './index.ts'

/**
 * Give every `reloadable(...)` call its module id and the extras earlier passes recorded:
 * `reloadable(opts)` -> `reloadable(opts, { module: "demo/Enemy.ts", fields: {...} })`. The module id
 * keys the class as `module#Name`, so two modules may both define a `Player`.
 */
export function moduleIdPass(ctx: TransformContext): void {
  if (!ctx.reloadableName) return
  for (const { call, binding } of findReloadableCalls(ctx.ast, ctx.reloadableName)) {
    // A second argument is the transform's own; finding one means the code was transformed already.
    if (call.arguments.length >= 2 || ctx.loweredCalls.has(call)) continue
    const extras = binding ? (ctx.classInfo.get(binding) ?? []) : []
    const info = `{ ${[`module: ${JSON.stringify(ctx.id)}`, ...extras].join(', ')} }`
    const [first] = call.arguments
    if (first) ctx.s.appendLeft(first.end, `, ${info}`)
    else ctx.s.appendLeft(call.end - 1, `undefined, ${info}`)
  }
}
