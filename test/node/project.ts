import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

let counter = 0

/**
 * A throwaway project under test/.tmp (inside the repository, so `hotclass` resolves to this package
 * and the files are under a root the host may swap), written as real modules the way an editor would.
 */
export interface Project {
  root: string
  path(file: string): string
  write(file: string, source: string): void
  /** Save like editors that write a temporary file and rename it over the original. */
  writeAtomic(file: string, source: string): void
  cleanup(): void
}

export function project(name: string): Project {
  const root = join(process.cwd(), 'test/.tmp', `node-${name}-${process.pid}-${++counter}`)
  mkdirSync(root, { recursive: true })
  const path = (file: string) => join(root, file)
  const write = (file: string, source: string) => {
    mkdirSync(dirname(path(file)), { recursive: true })
    writeFileSync(path(file), source)
  }
  return {
    root,
    path,
    write,
    writeAtomic(file, source) {
      const temp = `${path(file)}.${++counter}.tmp`
      writeFileSync(temp, source)
      renameSync(temp, path(file))
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  }
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

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))
