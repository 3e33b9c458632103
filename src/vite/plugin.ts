import * as vite from 'vite'
import type { Plugin, ResolvedConfig, UserConfig } from 'vite'
import { logger } from '../core/env.ts'
import { entries, namesCoreEntry } from './entries.ts'
import { resolveOptions } from './options.ts'
import type { HotclassPluginOptions } from './options.ts'
import { SwapServer } from './swap-server.ts'
import { toId } from './problems.ts'
import { mayNeedTransform, runTransform } from './transform/index.ts'
import { compactLines } from './compact.ts'
import { DEFERRED_MAP_LIMIT, DeferredLineMaps } from './deferred-maps.ts'
import { EvaluableServer } from './evaluable.ts'
import { definesClassFields, lowerFieldShapes, lowerModule, needsLowering, resolveHelper } from './lowering.ts'
import { LOAD_ERRORS_ID, RESOLVED_LOAD_ERRORS_ID, loadErrorsModule } from './load-errors.ts'
import { classNeedingMetadata } from './metadata-hint.ts'
import { metadataSafeImports } from './metadata-imports.ts'
import { TsconfigReader } from './tsconfig.ts'

const log = logger('vite')

const scriptFile = /\.[cm]?[jt]sx?$/
const ownSource = `${entries.dir}/`
/**
 * The core logs through `debug`, which is CommonJS, so the browser needs it pre-bundled. The core itself
 * is excluded from pre-bundling, and Vite does not discover the imports of files under node_modules: an
 * installed hotclass would hand the page raw CommonJS (and in this repository the dependency would be
 * found only on the first page load, re-optimised and the page reloaded). So it is listed up front, as
 * seen from an installed hotclass, whose dependencies the project's root may not see directly.
 */
const debugDep = entries.installed ? 'hotclass > debug' : 'debug'

/**
 * The hotclass Vite plugin. In development it gives every reloadable class its module id, makes modules
 * whose exports are all reloadable classes accept their own updates, and runs the server half of the
 * probe: changed modules wait for the probe key (`mode: 'probe'`) or swap on save (`mode: 'auto'`), in
 * one transaction, in dependency order. In `vite build` it only points `hotclass` at a module where the
 * decorator is the identity, so no hot-swap code ships.
 * @example
 * // vite.config.ts
 * import hotclass from 'hotclass/vite'
 * export default defineConfig({ plugins: [hotclass({ mode: 'probe', key: 'F5' })] })
 */
export function hotclass(userOptions: Partial<HotclassPluginOptions> = {}): Plugin[] {
  const options = resolveOptions(userOptions)
  const lowered = new Set<string>()
  const fieldShapes = new Map<string, string>()
  const transformed = new Set<string>()
  const deferred = new Map<string, DeferredLineMaps>()
  const plugins = [lowering(lowered, fieldShapes, deferred), main(options, lowered, fieldShapes, transformed, deferred)]
  return options.compact ? [...plugins, compacting(transformed)] : plugins
}

/** What the `hotclass:lower` plugin offers the Node host (Vite's `api` field, for plugins that cooperate). */
export interface LoweringApi {
  /**
   * From now on, huge modules lowered for this environment hand Vite no source map; the caller attaches
   * a line map to what the environment serves (deferred-maps.ts). Returns the environment's maps.
   */
  deferLineMaps(environment: string): DeferredLineMaps
}

/** Vite 8 compiles TypeScript with Oxc (and exports the version of Rolldown it runs); Vite 7 with esbuild. */
const compilesWithEsbuild = !('rolldownVersion' in vite)

/**
 * Vite 7's esbuild must not compile again what hotclass lowered: it renames a class expression that
 * shares its variable's name (`let Game = class Game2`), which changes `Game.name` and the class's key.
 * Its `exclude` takes RegExps and calls their `test`: this one matches exactly the modules hotclass lowered
 * (without JSX, for Vite 8's Oxc pass, which still has JSX to compile in a lowered `.tsx`).
 */
function loweredMatcher(lowered: ReadonlySet<string>, jsx = true): RegExp {
  const matcher = /(?!)/
  matcher.test = (id: string) => {
    const file = id.replace(/[?#].*$/, '')
    return lowered.has(file) && (jsx || !file.endsWith('x'))
  }
  return matcher
}

/** Whether the plugin handles this module at all: project script files, never its own runtime. */
function isProjectScript(rawId: string, root: string): string | undefined {
  if (rawId.startsWith('\0')) return undefined
  const file = rawId.replace(/[?#].*$/, '')
  // hotclass's own source is the runtime the transformed code imports: never transform it into importing itself.
  if (!scriptFile.test(file) || file.includes('/node_modules/') || !file.startsWith(`${root}/`)) return undefined
  return file.startsWith(ownSource) ? undefined : file
}

/**
 * Runs before Vite's own TypeScript pass: modules that apply `@reloadable()` are lowered here, with
 * the options of the project's tsconfig, so the transform sees one shape on Vite 7 and 8 (see lowering.ts).
 * In `vite build` too, so a build compiles classes exactly as the dev server did.
 */
function lowering(
  lowered: Set<string>,
  fieldShapes: Map<string, string>,
  deferred: Map<string, DeferredLineMaps>,
): Plugin<LoweringApi> {
  let config: ResolvedConfig | undefined
  let tsconfig: TsconfigReader | undefined
  const told = new Set<string>()
  const tellOnce = (key: string, message: string) => {
    if (told.has(key)) return
    told.add(key)
    config?.logger.warn(`[hotclass] ${message}`, { timestamp: true })
  }
  return {
    name: 'hotclass:lower',
    enforce: 'pre',
    api: {
      deferLineMaps(environment) {
        let maps = deferred.get(environment)
        if (!maps) deferred.set(environment, (maps = new DeferredLineMaps()))
        return maps
      },
    },
    configResolved(resolved) {
      config = resolved
      tsconfig = new TsconfigReader(resolved.root)
    },
    resolveId(source) {
      return resolveHelper(source)
    },
    transform(code, rawId) {
      if (!config || !tsconfig) return undefined
      const file = isProjectScript(rawId, config.root)
      if (!file) return undefined
      // Only what this version needs: a module that stops applying `@reloadable()` must go through the
      // host's own TypeScript pass again (left marked, its next version reached the transform as raw TS).
      lowered.delete(file)
      // Only once a host asked for deferred maps is there an environment to look up.
      const maps = deferred.size > 0 ? deferred.get(this.environment.name) : undefined
      maps?.forget(file)
      if (!needsLowering(file, code, compilesWithEsbuild)) return undefined
      const ts = tsconfig.optionsFor(file)
      const where = ts.file ?? 'tsconfig.json'
      if (ts.experimentalDecorators !== true) {
        tellOnce(
          'experimentalDecorators',
          `${where} does not set "experimentalDecorators": true; @reloadable() classes are compiled with legacy decorators anyway. Add it to "compilerOptions" so TypeScript checks decorators the same way.`,
        )
      }
      if (ts.emitDecoratorMetadata !== true) {
        const cls = classNeedingMetadata(file, code)
        if (cls) {
          tellOnce(
            'emitDecoratorMetadata',
            `${toId(file, config.root)}: ${cls} has typed constructor parameters and other decorators, but ${where} does not turn on "emitDecoratorMetadata", so no design:paramtypes metadata is emitted for a DI container to read. If it needs them, add "emitDecoratorMetadata": true to "compilerOptions" in ${where}.`,
          )
        }
      }
      const result = lowerModule(file, code, ts)
      lowered.add(file)
      // Under `useDefineForClassFields: false` fields become assignments in the constructor, where they
      // cannot be told from the constructor's own code. The same module lowered with define semantics
      // keeps them as declarations: the transform reads the fields (names and initialisers) from that.
      if (definesClassFields(ts)) fieldShapes.delete(file)
      else fieldShapes.set(file, lowerFieldShapes(file, code, ts))
      const out = ts.emitDecoratorMetadata === true ? metadataSafeImports(file, result.code) : result.code
      if (maps && result.map && code.length > DEFERRED_MAP_LIMIT) {
        // No map through Vite's chain: the host makes a line map after the SSR transform (deferred-maps.ts).
        maps.record(file, result.code, result.map.mappings)
        return { code: out, map: { mappings: '' } }
      }
      return { code: out, map: result.map ?? null }
    },
  }
}

function main(
  options: Readonly<HotclassPluginOptions>,
  lowered: ReadonlySet<string>,
  fieldShapes: ReadonlyMap<string, string>,
  transformed: Set<string>,
  deferred: ReadonlyMap<string, DeferredLineMaps>,
): Plugin {
  let config: ResolvedConfig | undefined
  let building = false
  /** Whether each transformed project file can be swapped in place, as of its latest transform. */
  const swappable = new Map<string, boolean>()
  /** The swap server of each dev server's client environment (one plugin instance may serve several). */
  const swapServers = new WeakMap<object, SwapServer>()

  return {
    name: 'hotclass',

    config(user, env): UserConfig {
      building = env.command === 'build'
      const prod = building
      // A project that turned pre-bundling off keeps it off (the Node host does: nothing it runs is for a browser).
      const deps = user.optimizeDeps
      const off = deps?.disabled === true || deps?.disabled === 'dev' || (deps?.noDiscovery && !deps.include?.length)
      const out: UserConfig = {
        resolve: {
          alias: [
            { find: /^hotclass$/, replacement: prod ? entries.prodCore : entries.core },
            { find: /^hotclass\/client$/, replacement: prod ? entries.prodClient : entries.client },
            // The same copy as the plugin's for server code too: in this repository the package's own
            // `exports` point at a dist/ that need not exist.
            { find: /^hotclass\/node$/, replacement: entries.node },
            { find: /^hotclass\/vite$/, replacement: entries.vite },
          ],
        },
        // Pre-bundling would give the page a second copy of the core (a second registry) and no import.meta.hot.
        optimizeDeps: {
          exclude: ['hotclass', 'hotclass/client'],
          ...(!off && !deps?.include?.includes(debugDep) && { include: [debugDep] }),
        },
      }
      // Decorators are not configured here: modules with reloadable classes are lowered by the plugin
      // itself (the `hotclass:lower` plugin), and everything else follows the project's tsconfig.
      if (compilesWithEsbuild && user.esbuild !== false) {
        const keepDefault = user.esbuild?.exclude === undefined ? [/\.js$/] : []
        out.esbuild = { exclude: [loweredMatcher(lowered), ...keepDefault] }
      }
      // Vite 8's Oxc pass would only parse, print and map again what hotclass lowered to plain JavaScript
      // (measured: 0.4 s and one more source map to combine on a 4 MB module). JSX is left in place by
      // the lowering, so a lowered `.tsx` still goes through it.
      if (!compilesWithEsbuild && user.oxc !== false) {
        const keepDefault = user.oxc?.exclude === undefined ? [/\.js$/] : []
        out.oxc = { exclude: [loweredMatcher(lowered, false), ...keepDefault] }
      }
      return out
    },

    configResolved(resolved) {
      config = resolved
    },

    resolveId(source) {
      return !building && source === LOAD_ERRORS_ID ? RESOLVED_LOAD_ERRORS_ID : undefined
    },

    load(id) {
      return id === RESOLVED_LOAD_ERRORS_ID ? loadErrorsModule : undefined
    },

    // Ahead of the game's scripts, so a game module the browser refuses is heard (see load-errors.ts).
    transformIndexHtml() {
      if (building) return undefined
      const src = `${config?.base ?? '/'}@id/${LOAD_ERRORS_ID}`
      return [{ tag: 'script', attrs: { type: 'module', src }, injectTo: 'head-prepend' }]
    },

    transform(code, rawId) {
      if (building || !config) return undefined
      const file = isProjectScript(rawId, config.root)
      if (!file) return undefined
      if (!mayNeedTransform(code)) {
        swappable.delete(file)
        transformed.delete(file)
        return undefined
      }
      const root = config.root
      const fieldsSource = fieldShapes.get(file)
      // A version transformed while it is pending is only ever imported by a swap: the probe client
      // prepares it ahead of the key and holds it at a gate (client/prepared.ts).
      const gate = options.mode === 'probe' && swapServers.get(this.environment)?.isPending(file) === true
      const out = runTransform(toId(file, root), code, {
        isHotclassEntry: (specifier) => namesCoreEntry(specifier, file, root),
        ...(fieldsSource !== undefined && { fieldsSource }),
        gate,
        // Vite drops every map of a module whose lowering handed it none: building one would be waste.
        sourceMap: deferred.size === 0 || deferred.get(this.environment.name)?.has(file) !== true,
      })
      swappable.set(file, out?.swappable ?? false)
      if (!out) {
        transformed.delete(file)
        return undefined
      }
      transformed.add(file)
      log('transformed %s (swappable: %s)', file, out.swappable)
      return { code: out.code, map: out.map }
    },

    configureServer(server) {
      const client = server.environments['client']
      if (!client) return
      const swaps = new SwapServer(client, options, (file) => swappable.get(file) === true, server.config.logger)
      swapServers.set(client, swaps)
      server.middlewares.use(new EvaluableServer(server, client, options).handle)
    },

    hotUpdate(update) {
      return swapServers.get(this.environment)?.hotUpdate(update)
    },
  }
}

/**
 * Last of the project's transforms (Vite's import analysis still runs after it): the modules hotclass
 * transformed are served on as few lines as their syntax allows (compact.ts). A page keeps every version
 * it imports, and with it 4 bytes per served line of each, because of how Blink locates a module's
 * imports: 8 KB per swap of a module printed on 2,000 lines. The first load is compacted too, so
 * `Function.prototype.toString` reads alike in every version. Only for the browser: Vite's module
 * runner (the Node host) turns static imports into calls, so V8 has no import to locate there.
 */
function compacting(transformed: ReadonlySet<string>): Plugin {
  let root: string | undefined
  let building = false
  return {
    name: 'hotclass:compact',
    enforce: 'post',
    configResolved(resolved) {
      root = resolved.root
      building = resolved.command === 'build'
    },
    transform(code, rawId) {
      if (building || !root || this.environment.config.consumer !== 'client') return undefined
      const file = isProjectScript(rawId, root)
      if (!file || !transformed.has(file)) return undefined
      const out = compactLines(code, file)
      if (!out) return undefined
      log('compacted %s', file)
      return { code: out.code, map: out.map }
    },
  }
}
