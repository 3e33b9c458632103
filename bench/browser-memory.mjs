// Browser heap growth per swap (issue 12: +41.6 KB per swap, because every swap imports a new `?t=` URL
// and the browser never evicts a module record). A real Vite dev server with the hotclass plugin and
// Debian's Chromium; the page swaps one module again and again with `hotswap()` (the path the probe key
// takes, minus the file watcher), and the heap is read through CDP after `HeapProfiler.collectGarbage`.
// A control run imports a plain module under a fresh `?t=` each time, with no hotclass at all: the same
// growth there is the browser's own floor, not something hotclass keeps.
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
function unit(reloadable) {
  const table = Array.from({ length: 2000 }, (_, i) => (i * 7919) % 100003).join(',')
  return `${reloadable ? `import { reloadable } from 'hotclass'\n@reloadable()\n` : ''}export class Unit {
  hp = 100
  table() { return [${table}] }
  damage(n: number) { this.hp -= (n * this.table()[7]) / 100003 }
}
`
}

const dir = join(root, '.tmp', `bench-browser-memory-${process.pid}`)
mkdirSync(dir, { recursive: true })
writeFileSync(join(dir, 'index.html'), `<!doctype html><script type="module" src="/main.ts"></script>`)
writeFileSync(join(dir, 'unit.ts'), unit(true))
writeFileSync(join(dir, 'plain.ts'), unit(false))
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
const server = await createServer({
  configFile: false,
  root: dir,
  logLevel: 'error',
  plugins: [vite.hotclass({ mode: 'probe' })],
  server: { port: 0, host: '127.0.0.1' },
  optimizeDeps: { noDiscovery: true, include: ['debug'] },
  cacheDir: join(root, '.tmp/vite-cache-bench'),
})
await server.listen()
const { port } = server.httpServer.address()
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

async function run(label, step) {
  const page = await browser.newPage()
  await page.goto(`http://127.0.0.1:${port}/`)
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
    rows.push({ run: label, swaps: n, 'heap MB': (kb / 1024).toFixed(2), 'KB per swap': ((kb - base) / n).toFixed(2) })
  }
  await page.close()
  return rows
}

try {
  const rows = [
    ...(await run('hotclass hotswap()', async ({ count }) => {
      for (let i = 0; i < count; i++) {
        const report = await globalThis.hotswap('/unit.ts')
        if (!report.ok) throw report.error
      }
      globalThis.unit.damage(1)
    })),
    ...(await run('plain import(?t=), no hotclass', async ({ from, count }) => {
      for (let i = from; i < from + count; i++) await import(/* @vite-ignore */ `/plain.ts?t=${1e12 + i}`)
    })),
  ]
  console.table(rows)
  console.log('KB per swap: heap growth since the warm-up, after CDP HeapProfiler.collectGarbage, divided by swaps.')
} finally {
  await browser.close()
  await server.close()
  rmSync(dir, { recursive: true, force: true })
}
