// Runs every benchmark in one process so their ratios are measured side by side on the same machine
// state: bench/*.bench.ts through Vite's module runner (the same transform and plugin as the game and
// the tests; the Chromium figures that reuse the e2e harness, demo-pacing and probe-latency, run this way
// too), then bench/node-*.mjs scripts and bench/fleet.mjs as child processes (they measure Node's own
// loader too, and the fleet runs processes of its own), then bench/browser-*.mjs (a dev server and Chromium each).
// Usage: npm run bench [-- name-filter]
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { createServer, createServerModuleRunner } from 'vite'

const root = process.cwd()
const filter = process.argv[2] ?? ''
const files = readdirSync(join(root, 'bench')).toSorted()
const tsBenches = files.filter((f) => f.endsWith('.bench.ts') && f.includes(filter))
const nodeBenches = files.filter((f) => /^(node-.*|browser-.*|fleet)\.mjs$/.test(f) && f.includes(filter))

const plugins = []
if (existsSync(join(root, 'src/vite/index.ts'))) {
  const { runnerImport } = await import('vite')
  const { module } = await runnerImport('/src/vite/index.ts', { configFile: false, root, logLevel: 'error' })
  plugins.push(module.default({ mode: 'auto' }))
}

const server = await createServer({
  configFile: false,
  root,
  logLevel: 'error',
  appType: 'custom',
  server: { middlewareMode: true, hmr: false, watch: null, ws: false },
  oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
  plugins,
})
const runner = createServerModuleRunner(server.environments.ssr, { hmr: false })

for (const file of tsBenches) {
  console.log(`\n## ${file}`)
  await runner.import(`/bench/${file}`)
}
await runner.close()
await server.close()

for (const file of nodeBenches) {
  console.log(`\n## ${file}`)
  const r = spawnSync(process.execPath, ['--expose-gc', join('bench', file)], { stdio: 'inherit', cwd: root })
  if (r.status !== 0) process.exitCode = 1
}
