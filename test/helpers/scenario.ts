import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import { hotswap } from '../../src/index.ts'
import type { SwapReport } from '../../src/index.ts'

let counter = 0

/**
 * A scenario is a folder of real modules under test/.tmp (inside the project root, where swaps are
 * allowed) written as version 1, imported, then rewritten and swapped: the way a developer edits files.
 */
export interface Scenario {
  dir: string
  /** Absolute path of a file in the scenario. */
  path(file: string): string
  /** The import specifier of the hotclass core from the scenario's folder. */
  core: string
  write(file: string, source: string): void
  load<T = Record<string, unknown>>(file: string): Promise<T>
  /** Write a new version of a file and swap it. */
  swap(file: string, source: string): Promise<SwapReport>
  cleanup(): void
}

export function scenario(name: string): Scenario {
  const dir = join(process.cwd(), 'test/.tmp', `${name}-${process.pid}-${++counter}`)
  mkdirSync(dir, { recursive: true })
  const core = relative(dir, join(process.cwd(), 'src/index.ts')).replace(/\\/g, '/')
  const path = (file: string) => join(dir, file)
  const write = (file: string, source: string) => {
    mkdirSync(dirname(path(file)), { recursive: true })
    writeFileSync(path(file), source.replaceAll('HOTCLASS', core))
  }
  return {
    dir,
    path,
    core,
    write,
    load: (file) => import(/* @vite-ignore */ pathToFileURL(path(file)).href),
    async swap(file, source) {
      write(file, source)
      return hotswap(path(file))
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  }
}
