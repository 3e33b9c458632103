import type { Continuity } from './continuity-state.ts'
import { hashText } from './hash.ts'

/**
 * Tell `once(setup)` and `dispose(cleanup)` calls which module they belong to, the way the module-id
 * emitter does for `reloadable()`: `once(setup, { module, key })`. A `once` block is keyed by a hash of its
 * source, so an edited block is a new block (the old one is disposed); identical blocks are numbered.
 */
export function lifecycleCallsEmitter(c: Continuity): void {
  const { lifecycle } = c.ctx.a.imports
  if (lifecycle.size === 0) return
  const module = JSON.stringify(c.ctx.id)
  const seen = new Map<string, number>()
  for (const ref of c.ctx.a.scope.refs) {
    const kind = lifecycle.get(ref.name)
    if (!kind || !ref.callee || ref.call?.type !== 'CallExpression') continue
    const args = ref.call.arguments
    if (args.length !== 1 || args[0]!.type === 'SpreadElement') continue
    const arg = args[0]!
    if (kind === 'dispose') {
      c.ctx.s.appendLeft(arg.end, `, { module: ${module} }`)
      c.needsStore = true
      continue
    }
    const hash = hashText(c.ctx.code.slice(arg.start, arg.end))
    const rank = (seen.get(hash) ?? 0) + 1
    seen.set(hash, rank)
    const key = rank === 1 ? hash : `${hash}#${rank}`
    c.ctx.s.appendLeft(arg.end, `, { module: ${module}, key: ${JSON.stringify(key)} }`)
    c.meta.once.push(key)
  }
}
