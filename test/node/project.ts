import { folder } from '../helpers/folder.ts'
import type { Folder } from '../helpers/folder.ts'

/** A throwaway project for the Node host and the CLI: a folder of real modules (see folder.ts). */
export interface Project extends Folder {
  root: string
}

export function project(name: string): Project {
  const f = folder(`node-${name}`)
  return { ...f, root: f.dir }
}

/** Wait until `check` returns a value other than undefined/false, polling; fail with `what` on timeout. */
export async function until<T>(what: string, check: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
  const started = Date.now()
  for (;;) {
    const value = check()
    if (value !== undefined && value !== false) return value
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** A pause between the writes of one save (an editor's truncate then write): never a wait for "nothing happened". */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))
