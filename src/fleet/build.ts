import { createHash, randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { relative, resolve, sep } from 'node:path'
import type { DevEnvironment } from 'vite'
import { dependencyOrder } from '../vite/order.ts'
import type { Patch, PatchModule } from './messages.ts'
import { hashCode } from './store.ts'

function digest(source: string): string {
  return createHash('sha1').update(source).digest('base64')
}

/** A file's text, or undefined when it is gone (deleted between the save and now). */
function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}

/** A patch ready to propose, and the texts Vite transformed into it (recorded once it commits). */
export interface Built {
  patch: Patch
  texts: Map<string, string>
}

/**
 * Turns saved files into a patch: each module transformed once, by the coordinator's Vite SSR
 * environment with the hotclass plugin (what each member's runner would do), hashed, and ordered
 * importees first through the whole import graph, unchanged modules included.
 */
export interface PatchBuilder {
  /** Whether the file's text differs from the one the fleet last committed (or started with). */
  changed(file: string): boolean
  /**
   * The patch of these files as version `version`; undefined when none has anything to publish. A file
   * that does not transform is logged, unless `quiet` (a save still being written).
   */
  build(files: readonly string[], version: number, quiet?: boolean): Promise<Built | undefined>
  /** Whether every file still holds the text it was built from. */
  current(texts: Map<string, string>): boolean
  /** These texts are what the fleet runs now. */
  accept(texts: Map<string, string>): void
}

export interface BuilderOptions {
  root: string
  fleet: string
  timeoutMs: number
  environment: DevEnvironment
  /** The text Vite loaded for each file (its transform's input), filled by the runner's `onLoad`. */
  loaded: Map<string, string>
  log(line: string): void
}

export async function createPatchBuilder(options: BuilderOptions, sources: readonly string[]): Promise<PatchBuilder> {
  const { root, environment } = options
  const rel = (file: string) => relative(root, file).split(sep).join('/')
  const seen = new Map<string, string>()
  const transform = async (file: string) => {
    const url = `/${rel(file)}`
    for (const mod of environment.moduleGraph.getModulesByFile(file) ?? []) {
      environment.moduleGraph.updateModuleTransformResult(mod, null)
    }
    const result = await environment.transformRequest(url)
    if (!result) throw new Error(`Vite returned nothing for ${url}`)
    return result
  }
  const importsOf = (file: string): string[] => {
    const files: string[] = []
    for (const mod of environment.moduleGraph.getModulesByFile(file) ?? []) {
      for (const dep of mod.importedModules) if (dep.file) files.push(dep.file)
    }
    return files
  }
  // Transform every source once at start: the import graph orders patches through unchanged modules.
  for (const file of sources) {
    seen.set(file, digest(read(file) ?? ''))
    await transform(file).catch(() => undefined)
  }

  return {
    changed(file) {
      const text = read(file)
      return text !== undefined && digest(text) !== seen.get(file)
    },

    async build(files, version, quiet = false) {
      const modules: PatchModule[] = []
      const changed: string[] = []
      const texts = new Map<string, string>()
      for (const file of files.map((f) => resolve(root, f))) {
        const source = read(file)
        // An empty file is a save in progress (truncated, not yet written), never a module to publish.
        if (source === undefined || source.length === 0) continue
        try {
          options.loaded.delete(file)
          const result = await transform(file)
          // What Vite read, not what was read above: the file may have changed in between.
          texts.set(file, options.loaded.get(file) ?? source)
          modules.push({
            id: rel(file),
            code: result.code,
            hash: hashCode(result.code),
            deps: [...(result.deps ?? []), ...(result.dynamicDeps ?? [])],
          })
          changed.push(file)
        } catch (error) {
          if (!quiet)
            options.log(
              `${rel(file)} not published: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
            )
          return undefined
        }
      }
      if (modules.length === 0) return undefined
      const patch: Patch = {
        type: 'patch',
        fleet: options.fleet,
        version,
        round: randomUUID(),
        kind: 'patch',
        modules,
        order: dependencyOrder(changed, importsOf).map(rel),
        timeoutMs: options.timeoutMs,
      }
      return { patch, texts }
    },

    current(texts) {
      return [...texts].every(([file, text]) => read(file) === text)
    },

    accept(texts) {
      for (const [file, text] of texts) seen.set(file, digest(text))
    },
  }
}
