import { alignLines } from './line-align.ts'
import { countLines, firstSourceLines, lineMappings } from './line-map.ts'

/**
 * Above this size a module's source map is made once, after Vite's SSR transform, and exact to the line
 * (in the Node host, which asks for it: `deferLineMaps`). Measured on the 4.3 MB level module (issue 12,
 * `bench/node-large-module.mjs`): of a 3.1 s swap, 1.7 s went to source maps and the garbage they
 * make — Oxc's column-exact map decoded and traced through hotclass's, then Vite's SSR transform building
 * a map at every word boundary (1.5 million segments) and tracing each through that. Through Vite's
 * chain a module costs about 1.2 s per MB; deferred, 0.3 s (0.43 MB: 540 vs 230 ms). Hand-written modules
 * are far below this and keep column-exact maps through Vite's own chain.
 */
export const DEFERRED_MAP_LIMIT = 256 * 1024

/** What a huge module's line map is rebuilt from: its lowered code and the lowering's own source map. */
interface Lowered {
  code: string
  /** The lowering's mappings, until first used; then the source line of each lowered line. */
  lines: string | Int32Array
}

/**
 * The line maps of one environment's huge modules, deferred past Vite's SSR transform. The lowering
 * records each such module and hands Vite no map (`{ mappings: '' }`), so no later step builds or
 * traces one; when the module runner fetches the module, `attach` pairs the served code's lines with the
 * lowered code's (line-align.ts), follows the lowering's map to the TypeScript source, and appends the
 * map as Vite would have (with `//# sourceURL`, so stack traces name the file).
 * @example
 * const maps = lineMapsOf(server, 'ssr') // the host's side
 * const code = maps.attach(result.file, result.id, result.code, options.startOffset)
 */
export class DeferredLineMaps {
  readonly #modules = new Map<string, Lowered>()

  /** A huge module was lowered: its map is made when it is fetched. */
  record(file: string, lowered: string, mappings: string): void {
    this.#modules.set(file, { code: lowered, lines: mappings })
  }

  /** The module's latest version goes through Vite's own maps (it is small, or not lowered). */
  forget(file: string): void {
    this.#modules.delete(file)
  }

  /** Whether this module's map is deferred: its transforms need not build one. */
  has(file: string): boolean {
    return this.#modules.has(file)
  }

  /**
   * `served` (Vite's SSR output of `file`, with no map of its own) with a line-level inline map to the
   * source and a `//# sourceURL` of `id`, or undefined when the module's map is not deferred.
   */
  attach(file: string, id: string, served: string, startOffset = 0): string | undefined {
    const lowered = this.#modules.get(file)
    if (!lowered || served.includes(MAP_SOURCE)) return undefined
    if (typeof lowered.lines === 'string') {
      lowered.lines = firstSourceLines(lowered.lines, countLines(lowered.code))
    }
    const fromLowered = alignLines(served, lowered.code)
    const toSource = new Int32Array(fromLowered.length)
    for (let line = 0; line < fromLowered.length; line++) toSource[line] = lowered.lines[fromLowered[line]!] ?? -1
    const map = { version: 3, sources: [file], names: [], mappings: lineMappings(toSource, startOffset) }
    const url = `data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}`
    // As Vite's fetchModule inlines a map: the runner reads the map after its marker, Node's source-map
    // support reads the `sourceMappingURL`, and the sourceURL names the module in stack traces.
    return `${served.trimEnd()}\n//# sourceURL=${id.replace(/\s/g, encodeURIComponent)}\n${MAP_SOURCE}\n//# sourceMappingURL=${url}\n`
  }
}

/** The marker Vite's module runner looks for before an inline map it can read. */
const MAP_SOURCE = '//# sourceMappingSource=vite-generated'
