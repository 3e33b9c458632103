import { isAbsolute } from 'node:path'
import { createServer, createServerModuleRunner, mergeConfig } from 'vite'
import type { DevEnvironment, InlineConfig, Plugin, ViteDevServer } from 'vite'
import { ModuleRunner, createNodeImportMeta } from 'vite/module-runner'
import type { ModuleRunnerTransport } from 'vite/module-runner'
import { hotclass } from '../vite/index.ts'
import type { LoweringApi } from '../vite/plugin.ts'

export interface RunnerOptions {
  /** Absolute project root. */
  root: string
  /** Merged over the host's own Vite config (extra plugins, `resolve.alias`, a `configFile`). */
  vite: InlineConfig
  /** Every module file the server transforms for the runner, with its source as loaded from disk. */
  onLoad(file: string, source: string): void
  /**
   * How the runner reaches the server. By default the server's own in-process channel; a fleet member
   * passes one that serves patched modules from the fleet's patch and the rest from this server.
   */
  transport?: (environment: DevEnvironment) => ModuleRunnerTransport
  /** Wraps each fetch (resolve, load, transform) the runner asks the server for. */
  aroundFetch?: <T>(fetch: () => Promise<T>) => Promise<T>
}

/** Vite's dev server and a module runner on it: how the Node host evaluates the user's TypeScript. */
export interface Runner {
  readonly server: ViteDevServer
  /** Import through the runner, as the program's own imports would (cached). */
  import(specifier: string): Promise<unknown>
  /**
   * Evaluate a fresh instance of one module. Only that module is forgotten, in the runner and in the
   * server's transform cache: its importers are not re-run and its imports stay cached.
   */
  importFresh(file: string): Promise<unknown>
  /** Whether the runner has evaluated (or tried to evaluate) this file. */
  isLoaded(file: string): boolean
  /** The files a loaded module imports, as last evaluated. */
  importsOf(file: string): string[]
  close(): Promise<void>
}

function cleanId(id: string): string {
  return id.replace(/[?#].*$/, '')
}

/** Reports what the server loads, so the host can watch exactly those files. */
function loadTracker(onLoad: RunnerOptions['onLoad']): Plugin {
  return {
    name: 'hotclass:node-loads',
    enforce: 'pre',
    transform(source, id) {
      const file = cleanId(id)
      if (!id.startsWith('\0') && isAbsolute(file)) onLoad(file, source)
      return null
    },
  }
}

/** The host's Vite config: no HTTP, no HMR channel, no Vite watcher (the host watches with chokidar). */
function baseConfig(options: RunnerOptions): InlineConfig {
  return {
    configFile: false,
    root: options.root,
    appType: 'custom',
    clearScreen: false,
    logLevel: 'warn',
    server: { middlewareMode: true, hmr: false, watch: null, ws: false },
    // The client environment exists in every dev server; nothing here is for a browser, so do not
    // scan for or pre-bundle browser dependencies.
    optimizeDeps: { noDiscovery: true, include: [] },
    // hotclass ships TypeScript: even when installed under node_modules it must go through Vite, and
    // the program and the host must share one evaluated copy of it.
    ssr: { noExternal: ['hotclass'] },
    // The same plugin as the browser's dev server: module ids for class keys, its own lowering of modules
    // with reloadable classes, `hotclass` pointed at this package's runtime. Its probe serves browsers only;
    // here the host's watcher and `--probe` do that job.
    // The load tracker comes first: it must see the file's own text, before hotclass lowers it.
    plugins: [loadTracker(options.onLoad), hotclass({ mode: 'auto', overlay: false })],
  }
}

export async function createRunner(options: RunnerOptions): Promise<Runner> {
  const server = await createServer(mergeConfig(baseConfig(options), options.vite))
  const environment = server.environments.ssr
  const { aroundFetch } = options
  // Huge modules get their line map here, after Vite's SSR transform, instead of through it (a 4 MB module
  // spent half its swap on maps; see vite/deferred-maps.ts).
  const lineMaps = server.config.plugins
    .find((p): p is Plugin<LoweringApi> => p.name === 'hotclass:lower')
    ?.api?.deferLineMaps(environment.name)
  const fetchModule = environment.fetchModule.bind(environment)
  const fetchMapped: typeof fetchModule = async (url, importer, fetchOptions) => {
    const result = await fetchModule(url, importer, fetchOptions)
    if (!lineMaps || !('code' in result) || !result.file) return result
    const code = lineMaps.attach(result.file, result.id, result.code, fetchOptions?.startOffset)
    return code === undefined ? result : { ...result, code }
  }
  // The runner's transport calls `environment.fetchModule` by name on each request.
  environment.fetchModule = aroundFetch ? (...args) => aroundFetch(() => fetchMapped(...args)) : fetchMapped
  let runner: ModuleRunner
  try {
    runner = options.transport
      ? new ModuleRunner({
          transport: options.transport(environment),
          hmr: false,
          createImportMeta: createNodeImportMeta,
          sourcemapInterceptor: 'prepareStackTrace',
        })
      : createServerModuleRunner(environment, { hmr: false })
  } catch (error) {
    await server.close()
    throw error
  }
  const modules = runner.evaluatedModules

  const nodesOf = (file: string) => [...(modules.getModulesByFile(file) ?? [])].filter((n) => cleanId(n.id) === file)
  // A module whose new version failed to load has no imports in the runner until a version loads;
  // its last known imports still order it correctly when the fix is swapped with other files.
  const lastImports = new Map<string, string[]>()

  return {
    server,
    import: (specifier) => runner.import(specifier),
    importFresh(file) {
      const nodes = nodesOf(file)
      const url = nodes[0]?.url ?? file
      for (const node of nodes) modules.invalidateModule(node)
      // Not moduleGraph.invalidateModule(): that also invalidates every importer, and the next module
      // that imports one of them would then re-evaluate it, resetting its state.
      for (const mod of environment.moduleGraph.getModulesByFile(file) ?? []) {
        environment.moduleGraph.updateModuleTransformResult(mod, null)
      }
      return runner.import(url)
    },
    isLoaded: (file) => nodesOf(file).length > 0,
    importsOf(file) {
      const nodes = nodesOf(file)
      if (!nodes.some((n) => n.evaluated)) return lastImports.get(file) ?? []
      const files: string[] = []
      for (const node of nodes) {
        for (const id of node.imports) {
          const dep = modules.getModuleById(id)
          // A module whose last load failed (a syntax error) has no `meta`: it is still a project file.
          if (dep?.file && !(dep.meta && 'externalize' in dep.meta)) files.push(dep.file)
        }
      }
      lastImports.set(file, files)
      return files
    },
    async close() {
      await runner.close()
      await server.close()
    },
  }
}
