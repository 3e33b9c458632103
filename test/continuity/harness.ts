import { relative } from 'node:path'
import { createServer, createServerModuleRunner } from 'vite'
import type { ViteDevServer } from 'vite'
import type { ModuleRunner } from 'vite/module-runner'
import { hotclass } from '../../src/vite/plugin.ts'
import { folder } from '../helpers/folder.ts'

type Core = typeof import('../../src/index.ts')

/**
 * Fixtures run the way a game does in development: through Vite's module runner with the hotclass
 * plugin, so every module gets the continuity transform, and `hotclass` is the one core instance the
 * modules import. `swap` writes a new version of a file to disk and swaps it with `hotswap(path)`.
 */
export interface Harness {
  /** The hotclass core, as the fixture modules see it. */
  core: Core
  runner: ModuleRunner
  server: ViteDevServer
  /** The root-relative URL of a fixture file, e.g. `/test/.tmp/state-1/game.ts`. */
  url(file: string): string
  write(file: string, source: string): void
  load<T = Record<string, any>>(file: string): Promise<T>
  swap(file: string, source: string): ReturnType<Core['hotswap']>
  close(): Promise<void>
}

export async function harness(name: string): Promise<Harness> {
  const root = process.cwd()
  const fixtures = folder(name)
  const dir = relative(root, fixtures.dir).replace(/\\/g, '/')
  const server = await createServer({
    configFile: false,
    root,
    logLevel: 'error',
    appType: 'custom',
    clearScreen: false,
    server: { middlewareMode: true, hmr: false, watch: null, ws: false },
    optimizeDeps: { noDiscovery: true, include: [] },
    plugins: [hotclass({ mode: 'auto' })],
  })
  const runner = createServerModuleRunner(server.environments.ssr, { hmr: false })
  const core = (await runner.import('/src/index.ts')) as Core
  // The core's host speaks URLs below a root; the runner speaks root-relative paths. A fresh evaluation
  // is the same path with a new query.
  const scheme = 'runner:'
  core.setHost({
    root: `${scheme}/`,
    resolve: (specifier) => `${scheme}${String(specifier)}`,
    importModule: (u, version) => runner.import(`${u.slice(scheme.length)}?hotclass=${version}`),
    moduleId: (u) => u.slice(scheme.length + 1).replace(/[?#].*$/, ''),
    isNotFound: (error) => /Failed to load url|does not exist|ENOENT/i.test(String((error as Error)?.message)),
  })
  const url = (file: string): string => `/${dir}/${file}`
  const { write } = fixtures
  return {
    core,
    runner,
    server,
    url,
    write,
    load: async (file) => (await runner.import(url(file))) as never,
    swap(file, source) {
      write(file, source)
      return core.hotswap(url(file))
    },
    async close() {
      await runner.close()
      await server.close()
      fixtures.cleanup()
    },
  }
}
