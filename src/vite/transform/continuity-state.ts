import type { TransformContext } from './context.ts'

/**
 * The continuity emitters' shared state for one module: the names they generate and what they add to the
 * preamble. The emitters (module state, functions, `once`) edit through `ctx.s`; continuity.ts prepends
 * the preamble last, so it runs before any of the module's code. A leaf: it imports no emitter.
 */
export interface Continuity {
  ctx: TransformContext
  /** Prefix of every generated name, chosen so it occurs nowhere in the module. */
  prefix: string
  /** The module's store: `<prefix>m`. */
  store: string
  /** Lines of the preamble, after the store is created. */
  preamble: string[]
  meta: { vars: string[]; fns: string[]; once: string[] }
  /** Exported bindings whose value the store may change, as [store key, local name]: every version's export follows. */
  mirrored: Array<[string, string]>
  /** A `dispose()` call needs the store even in a module with nothing else to keep. */
  needsStore: boolean
}

export function cellName(c: Continuity, name: string): string {
  return `${c.prefix}c_${name}`
}
