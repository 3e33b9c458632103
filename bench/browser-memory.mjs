// Browser heap growth per swap (issue 12: +41.6 KB per swap, because every swap imported a new `?t=` URL
// and the browser never evicts a module record). A real Vite dev server with the hotclass plugin and
// Debian's Chromium; the page swaps one module again and again with `hotswap()` (the path the probe key
// takes, minus the file watcher), and the heap is read through CDP after `HeapProfiler.collectGarbage`.
// Both ways of evaluating a swapped version run: `evaluate: 'function'` (the version is rewritten by
// Vite's module runner transform and run with `new AsyncFunction`, outside the module map, so the
// versions the core's history lets go are collected; the default) and `evaluate: 'module'` (a `?t=`
// import of each version).
// Two control runs import a plain module under a fresh `?t=` each time, with no hotclass at all: the
// browser's own floor, not something hotclass keeps. One has no import: a module record and its compiled
// code, which Chromium never evicts. The other has one static `import`, as every module with a reloadable
// class has: Blink then asks V8 where each import is, and V8 builds and keeps the module's line-end table,
// 4 bytes per line of the served code (measured with heap snapshots: `code (script line ends)`). Vite
// prints this module on about 2,000 lines, so that control keeps some 8 KB more per version; hotclass
// serves the modules it transforms on a few lines (src/vite/compact.ts) and does not pay it.
// Usage: node bench/browser-memory.mjs [swaps=1000]
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { createServer, runnerImport } from 'vite'

const root = fileURLToPath(new URL('..', import.meta.url))
const swaps = Number(process.argv[2] ?? 1000)
const checkpoints = [100, 300, 1000, 3000].filter((n) => n <= swaps)
if (!checkpoints.includes(swaps)) checkpoints.push(swaps)

/** A class whose `table()` is a 2,000-number literal (about 20 KB of source), as bench/node-memory.mjs. */
function unit(header) {
  const table = Array.from({ length: 2000 }, (_, i) => (i * 7919) % 100003).join(',')
  return `${header}export class Unit {
  hp = 100
  table() { return [${table}] }
  damage(n: number) { this.hp -= (n * this.table()[7]) / 100003 }
}
`
}

const dir = join(root, '.tmp', `bench-browser-memory-${process.pid}`)
mkdirSync(dir, { recursive: true })
writeFileSync(join(dir, 'index.html'), `<!doctype html><script type="module" src="/main.ts"></script>`)
writeFileSync(join(dir, 'unit.ts'), unit(`import { reloadable } from 'hotclass'\n@reloadable()\n`))
writeFileSync(join(dir, 'plain.ts'), unit(''))
writeFileSync(join(dir, 'dep.ts'), `export const scale = 1\n`)
writeFileSync(join(dir, 'plain-import.ts'), unit(`import './dep.ts'\n`))
writeFileSync(
  join(dir, 'main.ts'),
  `import { hotswap } from 'hotclass'
import { installProbe } from 'hotclass/client'
import { Unit } from './unit.ts'
const w = globalThis as any
w.unit = new Unit()
w.hotswap = hotswap
installProbe()
w.ready = true
`,
)

const { module: vite } = await runnerImport(join(root, 'src/vite/index.ts'), { root, logLevel: 'error' })
/** A dev server on the fixture, with the plugin evaluating swapped versions the given way. */
async function serve(evaluate) {
  const server = await createServer({
    configFile: false,
    root: dir,
    logLevel: 'error',
    plugins: [vite.hotclass({ mode: 'probe', evaluate })],
    server: { port: 0, host: '127.0.0.1' },
    optimizeDeps: { noDiscovery: true, include: ['debug'] },
    cacheDir: join(root, '.tmp/vite-cache-bench'),
  })
  await server.listen()
  return { server, origin: `http://127.0.0.1:${server.httpServer.address().port}` }
}
const servers = { function: await serve('function'), module: await serve('module') }
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
})

/** Heap in use after full collections, in KB. */
async function heapKB(cdp) {
  for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage')
  const { usedSize } = await cdp.send('Runtime.getHeapUsage')
  return usedSize / 1024
}

/** What the dev server serves for a module version: the code V8 compiles, and its line count. */
async function served(path, prefix = '') {
  const code = await (await fetch(`${servers.function.origin}${prefix}${path}?t=1000000000000`)).text()
  const map = /\n\/\/# sourceMappingURL=.*$/s.exec(code)?.[0].length ?? 0
  return `${prefix}${path}: ${code.split('\n').length} lines, ${((code.length - map) / 1024).toFixed(1)} KB of code + ${(map / 1024).toFixed(1)} KB inline source map`
}

async function run(label, step, origin = servers.function.origin) {
  const page = await browser.newPage()
  // Which way the versions were evaluated, told from the requests the page made.
  let asFunctions = 0
  page.on('request', (r) => void (r.url().includes('/@hotclass/evaluable/') && asFunctions++))
  await page.goto(`${origin}/`)
  await page.waitForFunction(() => globalThis.ready === true)
  const cdp = await page.context().newCDPSession(page)
  // Warm up: the first swaps compile the core's swap path and fill caches that do not grow after.
  await page.evaluate(step, { from: 0, count: 20 })
  const base = await heapKB(cdp)
  const rows = []
  let done = 0
  for (const n of checkpoints) {
    await page.evaluate(step, { from: 20 + done, count: n - done })
    done = n
    const kb = await heapKB(cdp)
    rows.push({
      run: label,
      swaps: n,
      'heap MB': (kb / 1024).toFixed(2),
      'KB per swap': ((kb - base) / n).toFixed(2),
      'evaluated as functions': asFunctions,
    })
  }
  await page.close()
  return rows
}

/** Swap the module `count` times in the page, as the probe key would. */
async function swap({ count }) {
  for (let i = 0; i < count; i++) {
    const report = await globalThis.hotswap('/unit.ts')
    if (!report.ok) throw report.error
  }
  globalThis.unit.damage(1)
}

try {
  const rows = [
    ...(await run("hotclass hotswap(), evaluate: 'function'", swap, servers.function.origin)),
    ...(await run("hotclass hotswap(), evaluate: 'module'", swap, servers.module.origin)),
    ...(await run('floor: plain import(?t=), one static import', async ({ from, count }) => {
      for (let i = from; i < from + count; i++) await import(/* @vite-ignore */ `/plain-import.ts?t=${1e12 + i}`)
    })),
    ...(await run('floor: plain import(?t=), no import', async ({ from, count }) => {
      for (let i = from; i < from + count; i++) await import(/* @vite-ignore */ `/plain.ts?t=${1e12 + i}`)
    })),
  ]
  console.table(rows)
  console.log('KB per swap: heap growth since the warm-up, after CDP HeapProfiler.collectGarbage, divided by swaps.')
  console.log(await served('/unit.ts', '/@hotclass/evaluable'))
  for (const path of ['/unit.ts', '/plain-import.ts', '/plain.ts']) console.log(await served(path))
} finally {
  await browser.close()
  for (const { server } of Object.values(servers)) await server.close()
  rmSync(dir, { recursive: true, force: true })
}
