import { randomUUID } from 'node:crypto'
import type { Patch, PatchModule } from './messages.ts'
import { hashCode } from './store.ts'

/**
 * The fleet's state as its log tells it: the code each module was last published with, and for each
 * committed patch still undoable, the code its modules had before it. A rollback is a patch like any
 * other, whose modules carry that earlier code (null: the member's own checkout).
 */
export interface FleetUndo {
  /** A patch committed (or read from the log). */
  remember(patch: Patch): void
  /** The patch that undoes the last undoable one, as version `next`; undefined when there is none. */
  rollbackPatch(next: number): Patch | undefined
}

export function createFleetUndo(fleet: string, timeoutMs: number): FleetUndo {
  const published = new Map<string, string | null>()
  const steps: Array<{ version: number; order: string[]; before: PatchModule[] }> = []
  return {
    remember(patch) {
      if (patch.kind === 'rollback') steps.pop()
      else
        steps.push({
          version: patch.version,
          order: patch.order,
          before: patch.modules.map((m) => {
            const code = published.get(m.id) ?? null
            return { id: m.id, code, hash: code === null ? '' : hashCode(code), deps: [] }
          }),
        })
      for (const m of patch.modules) published.set(m.id, m.code)
    },
    rollbackPatch(next) {
      const last = steps[steps.length - 1]
      if (!last) return undefined
      return {
        type: 'patch',
        fleet,
        version: next,
        round: randomUUID(),
        kind: 'rollback',
        reverts: last.version,
        modules: last.before,
        order: last.order,
        timeoutMs,
      }
    },
  }
}
