import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

let counter = 0

/**
 * A throwaway folder of real modules under test/.tmp: inside the repository, so `hotclass` resolves to
 * this package and the files lie under a root that may be swapped. Every harness (core scenarios, the
 * module runner, the Node host, the dev server and Chromium) writes its fixtures through one of these,
 * the way an editor saves.
 */
export interface Folder {
  /** Absolute path of the folder. */
  dir: string
  /** Absolute path of a file in it. */
  path(file: string): string
  /** Write a file, creating its folders. */
  write(file: string, source: string): void
  /** Save like editors that write a temporary file and rename it over the original. */
  writeAtomic(file: string, source: string): void
  /** Remove the folder and everything in it. */
  cleanup(): void
}

/** A fresh folder `test/.tmp/<name>-<pid>-<n>`; `transform` rewrites every source written (a placeholder). */
export function folder(name: string, transform: (source: string) => string = (s) => s): Folder {
  const dir = join(process.cwd(), 'test/.tmp', `${name}-${process.pid}-${++counter}`)
  mkdirSync(dir, { recursive: true })
  const path = (file: string) => join(dir, file)
  const write = (file: string, source: string) => {
    mkdirSync(dirname(path(file)), { recursive: true })
    writeFileSync(path(file), transform(source))
  }
  return {
    dir,
    path,
    write,
    writeAtomic(file, source) {
      const temp = `${path(file)}.${++counter}.tmp`
      writeFileSync(temp, transform(source))
      renameSync(temp, path(file))
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  }
}
