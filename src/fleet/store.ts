import { createHash } from 'node:crypto'
import type { PatchModule } from './messages.ts'

export function hashCode(code: string): string {
  return createHash('sha256').update(code).digest('hex')
}

/**
 * The code a member runs instead of its own checkout: every module a committed patch changed, by
 * root-relative id, plus the patch being committed (staged) while its swap imports it.
 */
export interface ModuleStore {
  /** The patched code of a module, or undefined when the member's own checkout serves it. */
  get(id: string): string | undefined
  /** Whether the member's own checkout serves this module. */
  has(id: string): boolean
  readonly size: number
  /** Serve these modules from now on, before they are committed (the swap of a commit imports them). */
  stage(modules: readonly PatchModule[]): void
  commitStaged(): void
  dropStaged(): void
  /** Apply committed modules directly (catching up before anything ran). */
  put(modules: readonly PatchModule[]): void
}

function write(target: Map<string, string>, modules: Iterable<readonly [string, string | null]>): void {
  for (const [id, code] of modules) {
    if (code === null) target.delete(id)
    else target.set(id, code)
  }
}

export function createModuleStore(): ModuleStore {
  const committed = new Map<string, string>()
  let staged: Map<string, string | null> | undefined
  const get = (id: string): string | undefined => {
    if (staged?.has(id)) return staged.get(id) ?? undefined
    return committed.get(id)
  }
  return {
    get,
    has: (id) => get(id) !== undefined,
    get size() {
      return committed.size + (staged?.size ?? 0)
    },
    stage(modules) {
      staged = new Map(modules.map((m) => [m.id, m.code]))
    },
    commitStaged() {
      if (staged) write(committed, staged)
      staged = undefined
    },
    dropStaged() {
      staged = undefined
    },
    put(modules) {
      write(
        committed,
        modules.map((m) => [m.id, m.code] as const),
      )
    },
  }
}
