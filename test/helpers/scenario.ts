import { join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import { hotswap } from '../../src/index.ts'
import type { SwapReport } from '../../src/index.ts'
import { folder } from './folder.ts'
import type { Folder } from './folder.ts'

/**
 * A scenario is a folder of real modules (see folder.ts) written as version 1, imported by the test's
 * own runtime, then rewritten and swapped: the way a developer edits files. `HOTCLASS` in a source
 * stands for the import specifier of the core.
 */
export interface Scenario extends Folder {
  /** The import specifier of the hotclass core from the scenario's folder. */
  core: string
  load<T = Record<string, unknown>>(file: string): Promise<T>
  /** Write a new version of a file and swap it. */
  swap(file: string, source: string): Promise<SwapReport>
}

export function scenario(name: string): Scenario {
  let core = ''
  const f = folder(name, (source) => source.replaceAll('HOTCLASS', core))
  core = relative(f.dir, join(process.cwd(), 'src/index.ts')).replace(/\\/g, '/')
  return {
    ...f,
    core,
    load: (file) => import(/* @vite-ignore */ pathToFileURL(f.path(file)).href),
    async swap(file, source) {
      f.write(file, source)
      return hotswap(f.path(file))
    },
  }
}
