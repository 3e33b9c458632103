import { hashText } from './continuity.ts'
import type { Continuity } from './continuity.ts'
import type { Node } from './names.ts'

/** The names `once` and `dispose` are imported under from the hotclass entry. */
function importedNames(c: Continuity): Map<string, 'once' | 'dispose'> {
  const out = new Map<string, 'once' | 'dispose'>()
  for (const node of c.ctx.ast.body as unknown as Node[]) {
    if (node.type !== 'ImportDeclaration') continue
    const source = (node['source'] as Node)['value']
    if (typeof source !== 'string' || !c.ctx.isHotclassEntry(source)) continue
    for (const spec of node['specifiers'] as Node[]) {
      if (spec.type !== 'ImportSpecifier') continue
      const imported = spec['imported'] as Node
      const name = (imported['name'] ?? imported['value']) as string
      if (name === 'once' || name === 'dispose') out.set((spec['local'] as Node)['name'] as string, name)
    }
  }
  return out
}

/**
 * Tell `once(setup)` and `dispose(cleanup)` calls which module they belong to, the way the module-id
 * pass does for `reloadable()`: `once(setup, { module, key })`. A `once` block is keyed by a hash of its
 * source, so an edited block is a new block (the old one is disposed); identical blocks are numbered.
 */
export function lifecycleCallsPass(c: Continuity): void {
  const names = importedNames(c)
  if (names.size === 0) return
  const module = JSON.stringify(c.ctx.id)
  const seen = new Map<string, number>()
  for (const ref of c.scope.refs) {
    const kind = names.get(ref.name)
    if (!kind || !ref.callee || ref.call?.type !== 'CallExpression') continue
    const args = ref.call['arguments'] as Node[]
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
