import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { run, start } from '../helpers/child-process.ts'
import type { Running } from '../helpers/child-process.ts'

/**
 * hotclass as a game developer gets it: `npm pack` of this repository installed, with the README's
 * command, into a fresh Vite 7 game and a fresh Vite 8 game (Vite from the local npm cache, or the
 * registry), used only through the package's public names: the plugin in vite.config.ts, `hotclass` and
 * `hotclass/client` in the game, and the `hotclass` command.
 */

const repo = resolve(import.meta.dirname, '../..')
const dir = join(repo, 'test/.tmp', `package-${process.pid}`)
const viteVersion = (
  JSON.parse(readFileSync(join(repo, 'node_modules/vite/package.json'), 'utf8')) as { version: string }
).version
/** The Vite of each fresh game: the newest 7, and the 8 this repository develops with. */
const vites = [
  { major: 7, range: '^7.3.0' },
  { major: 8, range: viteVersion },
]

interface Manifest {
  version: string
  dependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
}

const gameFiles = (viteRange: string): Record<string, string> => ({
  // A Vite game before hotclass: the README's install line adds it.
  'package.json': JSON.stringify(
    { name: 'hotclass-consumer', private: true, type: 'module', dependencies: { vite: viteRange } },
    null,
    2,
  ),
  // What the README's "Installing" section tells a game developer to write.
  'vite.config.ts': `import hotclass from 'hotclass/vite'
export default { plugins: [hotclass()] }
`,
  'index.html': `<!doctype html><html><body><script type="module" src="/src/main.ts"></script></body></html>`,
  'src/Enemy.ts': `import { reloadable } from 'hotclass'

@reloadable()
export class Enemy {
  hp = 10
  hit(n: number): number {
    return (this.hp -= n)
  }
}
`,
  'src/main.ts': `import { installProbe } from 'hotclass/client'
import { Enemy } from './Enemy.ts'

installProbe()
const enemy = new Enemy()
document.body.textContent = 'hp ' + enemy.hit(3)
`,
  'src/game.ts': tickAs('v1'),
  'server.ts': `import { Game } from './src/game.ts'

const game = new Game()
setInterval(() => console.log(game.step()), 20)
`,
  // Compiles only if the installed types are real: with 'hotclass' typed as any, the expect-error is unused.
  'src/types.ts': `import { hotswap } from 'hotclass'
import { onReload } from 'hotclass/client'
import type { NodeHost } from 'hotclass/node'

// @ts-expect-error -- a specifier is a string or a URL
void hotswap(42)
export const off: () => void = onReload(() => undefined)
export type Root = NodeHost['root']
`,
  'tsconfig.json': JSON.stringify({
    compilerOptions: {
      target: 'ES2023',
      module: 'ESNext',
      moduleResolution: 'bundler',
      lib: ['ES2023', 'DOM'],
      types: [],
      strict: true,
      noEmit: true,
      allowImportingTsExtensions: true,
      experimentalDecorators: true,
      skipLibCheck: true,
    },
    include: ['src', 'server.ts', 'vite.config.ts'],
  }),
})

function tickAs(label: string): string {
  return `import { reloadable } from 'hotclass'

@reloadable()
export class Game {
  ticks = 0
  step(): string {
    this.ticks++
    return 'tick ' + this.ticks + ' ${label}'
  }
}
`
}

let tarball = ''
let packedFiles: string[] = []

beforeAll(async () => {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  // prepack builds dist/ first, so this is exactly what `npm publish` would upload.
  const packed = await run('npm', ['pack', '--json', '--pack-destination', dir], repo, 90_000)
  expect(packed.code, packed.err + packed.out).toBe(0)
  const [info] = JSON.parse(packed.out) as { filename: string; files: { path: string }[] }[]
  packedFiles = info!.files.map((f) => f.path)
  tarball = join(dir, info!.filename)
}, 120_000)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

const running: Running[] = []
afterEach(() => {
  for (const child of running.splice(0)) child.kill()
})

const npmInstall = (args: string[], cwd: string) =>
  // Everything from the npm cache this repository's own install filled; the registry only for a miss.
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...args], cwd, 150_000)

/** Package names the built JavaScript imports at run time (`node:` built-ins and hotclass itself aside). */
function bareImports(root: string): Set<string> {
  // tsc prints each statement on a line of its own, ending in `;`: `import … from 'x';`, `import 'x';`,
  // `import('x')`.
  // Anchored at the line start, so the import lines of JSDoc examples (` * import …`) do not count.
  const statements =
    /^(?:import|export)\b[^;]*?\bfrom\s*['"]([^'"]+)['"];|^import\s*['"]([^'"]+)['"];|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm
  const names = new Set<string>()
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.name.endsWith('.js')) {
        for (const m of readFileSync(path, 'utf8').matchAll(statements)) {
          const name = /^(?:@[\w.-]+\/)?[\w.-]+/.exec((m[1] ?? m[2] ?? m[3])!)?.[0]
          if (name && !name.startsWith('.') && name !== 'node' && name !== 'hotclass') names.add(name)
        }
      }
    }
  }
  walk(root)
  return names
}

describe('the packed package', () => {
  test('ships the build, the CLI and the README, not the sources', () => {
    expect(packedFiles).toEqual(
      expect.arrayContaining(['README.md', 'bin/hotclass.js', 'dist/index.js', 'dist/index.d.ts', 'dist/node/cli.js']),
    )
    for (const entry of ['vite', 'client', 'node']) {
      expect(packedFiles).toContain(`dist/${entry}/index.js`)
      expect(packedFiles).toContain(`dist/${entry}/index.d.ts`)
    }
    expect(packedFiles.filter((f) => f.startsWith('src/') || f.startsWith('test/'))).toEqual([])
  })
})

describe.each(vites)('a fresh Vite $major game', ({ major, range }) => {
  const game = join(dir, `game-vite${major}`)
  let manifest: Manifest
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(game, file)), { recursive: true })
    writeFileSync(join(game, file), text)
  }
  const node = (args: string[], timeoutMs?: number) => run(process.execPath, args, game, timeoutMs)
  const installedVite = () =>
    (JSON.parse(readFileSync(join(game, 'node_modules/vite/package.json'), 'utf8')) as { version: string }).version

  beforeAll(async () => {
    for (const [file, text] of Object.entries(gameFiles(range))) write(file, text)
    const vite = await npmInstall([], game)
    expect(vite.code, vite.err).toBe(0)
    expect(installedVite()).toMatch(new RegExp(`^${major}\\.`))
    // The README's install line, in a project that has Vite already: `npm install hotclass`.
    const installed = await npmInstall([tarball], game)
    expect(installed.code, installed.err).toBe(0)
    manifest = JSON.parse(readFileSync(join(game, 'node_modules/hotclass/package.json'), 'utf8')) as Manifest
  }, 300_000)

  test('npm installs hotclass beside it without touching its Vite', () => {
    expect(installedVite()).toMatch(new RegExp(`^${major}\\.`))
    expect(manifest.peerDependencies?.['vite']).toBe('^7.0.0 || ^8.0.0')
  })

  test('every package the build imports is declared, and npm installed each into the game', () => {
    const declared = { ...manifest.dependencies, ...manifest.peerDependencies }
    const imported = bareImports(join(game, 'node_modules/hotclass/dist'))
    // The scan sees the real imports: the transform's, the Node host's, the core's logger.
    expect([...imported]).toEqual(expect.arrayContaining(['vite', 'magic-string', 'chokidar', 'debug']))
    for (const name of imported) {
      expect(declared, `${name} is imported by dist/ but not a dependency`).toHaveProperty([name])
      // Inside the game's own node_modules: the repository's node_modules above it would hide a miss.
      expect(existsSync(join(game, 'node_modules', name, 'package.json')), name).toBe(true)
    }
  })

  test("TypeScript finds every entry's types (tsc --noEmit in the game)", async () => {
    const tsc = await node([join(repo, 'node_modules/typescript/bin/tsc'), '-p', '.'])
    expect(tsc.out + tsc.err).toBe('')
    expect(tsc.code).toBe(0)
  })

  test("vite build with 'hotclass/vite' from node_modules: the bundle has the game and no hot-swap runtime", async () => {
    const built = await node(['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error'])
    expect(built.code, built.err).toBe(0)
    const assets = join(game, 'dist/assets')
    const code = readdirSync(assets)
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(assets, f), 'utf8'))
      .join('\n')
    // The game itself is there, decorated class and all (the same markers as test/vite/build.test.ts).
    expect(code).toMatch(/return this\.hp-=\w+/)
    for (const marker of ['HOTCLASS_', 'hotclass:', 'swapModules', 'ScrubClass', '__HOTCLASS__', 'import.meta.hot']) {
      expect(code, marker).not.toContain(marker)
    }
  })

  test('the dev server serves game modules with their module ids, all importing one copy of the core', async () => {
    const dev = start(process.execPath, ['node_modules/vite/bin/vite.js', '--host', '127.0.0.1', '--port', '0'], game)
    running.push(dev)
    const url = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(
      await dev.waitFor('out', /Local:\s+http:\/\/127\.0\.0\.1:\d+/),
    )![1]!
    const get = async (path: string) => {
      const res = await fetch(url + path)
      expect(res.status, path).toBe(200)
      return res.text()
    }

    const enemy = await get('/src/Enemy.ts')
    expect(enemy).toContain('module: "src/Enemy.ts"')
    // Lowered by hotclass itself, in the same shape on both Vites: the body opens the live class first,
    // and the decorator list closes it.
    expect(enemy).toMatch(/= __hccclass\.open\(this, __hccd0 = reloadable\(/)
    expect(enemy).toMatch(/Enemy = _decorate\(\[__hccd0\]/)
    const main = await get('/src/main.ts')
    expect(main).toContain('"src/main.ts"') // module state: main's top-level `enemy` is kept across swaps

    // hotclass and hotclass/client resolve to the installed package's own build, and every importer
    // names the same core URL (version query included): one registry per page.
    const coreUrl = /\/node_modules\/hotclass\/dist\/index\.js[^"']*/
    const cores = new Set([...`${enemy}\n${main}`.matchAll(new RegExp(coreUrl, 'g'))].map((m) => m[0]))
    expect(cores.size).toBe(1)
    expect(main).toMatch(/\/node_modules\/hotclass\/dist\/client\/index\.js/)
    expect(await get([...cores][0]!)).toContain('reloadable')
    // The decorator helper the lowering imports is served (Vite 8 has its own copy; Vite 7 gets hotclass's).
    const helper = /import _decorate from "([^"]+)"/.exec(enemy)
    expect(helper, enemy).not.toBeNull()
    expect(await get(helper![1]!)).toContain('export')
    // The class keeps its name (Vite 7's esbuild renamed `class Enemy` to `Enemy2` when it re-compiled it).
    expect(enemy).toMatch(/let Enemy = class Enemy \{/)

    // A swapped version is offered as a function body (the default `evaluate: 'function'`), on Vite 7 as
    // on 8: Vite's module runner names, the class, and its source map inline.
    const offered = await fetch(`${url}/@hotclass/evaluable/src/Enemy.ts?t=1`)
    expect(offered.status).toBe(200)
    expect(offered.headers.get('x-hotclass-evaluate')).toBe('function')
    const body = await offered.text()
    expect(body).toContain('__vite_ssr_import__')
    expect(body).toMatch(/class Enemy/)
    expect(body).toMatch(/sourceMappingURL=data:application\/json/)

    // The core's CommonJS logger reaches the browser pre-bundled, with no optimizeDeps in the game's config.
    const env = await get('/node_modules/hotclass/dist/core/env.js')
    expect(env).toMatch(/from "\/node_modules\/\.vite\/deps\/[^"]*debug[^"]*"/)
    expect(dev.err.join('\n')).not.toMatch(/error|fail|warn/i)
  })

  test('npx finds the installed command, which prints the installed version', async () => {
    // --no: never fetch a registry package of that name instead (stderr may carry npm's own warnings).
    const version = await run('npx', ['--no', '--', 'hotclass', '--version'], game)
    expect(version.code, version.err).toBe(0)
    expect(version.out.trim()).toBe(manifest.version)
  })

  test('hotclass run: a TypeScript entry swaps a saved edit with its state kept, and exits 0 on SIGTERM', async () => {
    // node_modules/.bin/hotclass is what `npx hotclass` runs; started directly, the signal reaches it.
    const cli = start(join(game, 'node_modules/.bin/hotclass'), ['run', 'server.ts'], game)
    running.push(cli)
    await cli.waitFor('out', /tick 3 v1/)
    await cli.waitFor('err', /running server\.ts/)
    write('src/game.ts', tickAs('v2'))
    const line = await cli.waitFor('out', /v2$/)
    expect(Number(/tick (\d+)/.exec(line)![1])).toBeGreaterThan(3)
    expect(cli.out.join('\n')).not.toMatch(/tick 1 v2/)
    expect(await cli.waitFor('err', /swapped/)).toMatch(/swapped Game \(\+0 -0 ~1\)/)

    cli.child.kill('SIGTERM')
    expect(await cli.exited).toEqual({ code: 0, signal: null })
  })
})
