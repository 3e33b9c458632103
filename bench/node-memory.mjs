// Memory after many swaps of one module: the hotclass Node host (Vite module runner, fresh evaluation of
// the changed module only) against re-importing through Node's own ESM loader with a cache-busting
// query, which keeps every version in its module map for ever.
// Usage: node --expose-gc bench/node-memory.mjs [swaps=1000]
// Each side runs in its own child process, so neither heap sees the other's garbage.
import { spawnSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { writeHeapSnapshot } from 'node:v8'

const root = fileURLToPath(new URL('..', import.meta.url))
const checkpoints = [10, 100, 500, 1000]

/**
 * One version of the module: a class whose `table()` returns a 2,000-number literal (about 20 KB of source
 * and the bytecode to match), so a version kept alive shows in the heap. Each version registers a WeakRef
 * to a marker object its methods close over (not to its class: the hotclass transform makes a static
 * block's `this` the live class): counting live refs after a GC says how many versions' code is reachable.
 * The marker is an instance, not a plain object: hotclass keeps a module's top-level plain data across
 * versions (one object, updated in place), so a `{ version }` literal would be one object for every version.
 */
function source(version, kind) {
  const table = Array.from({ length: 2000 }, (_, i) => (i * 7919 + version) % 100003).join(',')
  const header = kind === 'hotclass' ? `import { reloadable } from 'hotclass'\n@reloadable()\n` : ''
  return `class Marker { constructor(version) { this.version = version } }
const marker = new Marker(${version})
;(globalThis.hotclassBenchVersions ??= []).push(new WeakRef(marker))
${header}export class Unit {
  hp = 100
  version() { return marker.version }
  table() { return [${table}] }
  damage(n) { this.hp -= (n * this.table()[${version} % 2000]) / 100003 }
}
`
}

/**
 * Heap after a GC, twice: after `gc()`, and after the collection a heap snapshot forces, which also
 * empties V8's compilation cache. That cache keeps the compiled code of every recent `new Function`
 * source (how Vite's module runner evaluates a module) until memory gets tight; it is not reachable
 * from the program and V8 drops it under pressure (checked: 3,000 swaps under --max-old-space-size=80
 * stay between 30 and 48 MB), so the second figure is what the program actually keeps.
 */
async function collect() {
  for (let i = 0; i < 4; i++) {
    globalThis.gc()
    await new Promise((r) => setImmediate(r))
  }
  const afterGc = process.memoryUsage().heapUsed / 2 ** 20
  writeHeapSnapshot('/dev/null')
  globalThis.gc()
  const alive = globalThis.hotclassBenchVersions.filter((ref) => ref.deref() !== undefined).length
  return { gcMB: afterGc, heapMB: process.memoryUsage().heapUsed / 2 ** 20, alive }
}

async function child(kind, swaps) {
  if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc')
  const dir = join(root, '.tmp', `bench-node-memory-${kind}-${process.pid}`)
  mkdirSync(join(dir, 'src'), { recursive: true })
  const ext = kind === 'hotclass' ? 'ts' : 'mjs'
  const file = join(dir, 'src', `unit.${ext}`)
  writeFileSync(file, source(0, kind))
  const rows = []
  try {
    let swap
    let live
    if (kind === 'hotclass') {
      const { runnerImport } = await import('vite')
      const { module: node } = await runnerImport(join(root, 'src/node/index.ts'), { root, logLevel: 'error' })
      writeFileSync(join(dir, 'src/main.ts'), `import { Unit } from './unit.ts'\nexport const unit = new Unit()\n`)
      const host = await node.createNodeHost({ root: dir, watch: false })
      live = (await host.run('src/main.ts')).unit
      swap = async () => {
        const report = await host.hotswap(file)
        if (!report.ok) throw report.error
      }
    } else {
      const url = pathToFileURL(file).href
      live = new (await import(url)).Unit()
      // The native way to load an edited ES module: a new URL, so a new module record, every time.
      swap = async (v) => {
        live = new (await import(`${url}?v=${v}`)).Unit()
      }
    }
    for (let v = 1; v <= swaps; v++) {
      writeFileSync(file, source(v, kind))
      await swap(v)
      if (live.version() !== v) throw new Error(`version ${v} is not live (got ${live.version()})`)
      if (checkpoints.includes(v) || v === swaps) rows.push({ swaps: v, ...(await collect()) })
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  process.stdout.write(JSON.stringify(rows))
  process.exit(0)
}

const per = (a, b) => ((b.heapMB - a.heapMB) * 1024) / (b.swaps - a.swaps)

function growth(rows) {
  const first = rows.find((r) => r.swaps === 10)
  const full = rows.find((r) => r.swaps === 100)
  const last = rows.at(-1)
  // hotclass's history keeps the last 20 steps' versions on purpose: from 100 swaps on it is full, and
  // what the heap still gains per swap is what a long session pays.
  return {
    ratio: last.heapMB / first.heapMB,
    perSwapKB: per(first, last),
    afterFullKB: full && full !== last ? per(full, last) : NaN,
  }
}

const alive = (rows) => rows.at(-1).alive

function run(kind, swaps) {
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', fileURLToPath(import.meta.url), '--child', kind, String(swaps)],
    {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  )
  if (r.status !== 0) throw new Error(`${kind} child failed:\n${r.stderr}`)
  return JSON.parse(r.stdout)
}

if (process.argv[2] === '--child') {
  await child(process.argv[3], Number(process.argv[4]))
} else {
  const swaps = Number(process.argv[2] ?? 1000)
  const sides = { hotclass: run('hotclass', swaps), native: run('native', swaps) }
  console.log(`heap used (MB) after N swaps of a ~20 KB module, and how many versions are still reachable`)
  console.log(`"reachable": after a full collection; "gc()": V8's compilation cache not yet dropped`)
  const cols = ['swaps', 'hotclass reachable', 'gc()', 'alive', 'node ?v= reachable', 'gc()', 'alive']
  console.log(cols.map((c) => c.padStart(c.length > 6 ? c.length : 6)).join(' | '))
  for (const [i, h] of sides.hotclass.entries()) {
    const n = sides.native[i]
    const cells = [
      h.swaps,
      h.heapMB.toFixed(1),
      h.gcMB.toFixed(1),
      h.alive,
      n.heapMB.toFixed(1),
      n.gcMB.toFixed(1),
      n.alive,
    ]
    console.log(cells.map((c, j) => String(c).padStart(Math.max(6, cols[j].length))).join(' | '))
  }
  const h = growth(sides.hotclass)
  const n = growth(sides.native)
  const line = (name, g, rows) =>
    `${name}: reachable heap(${swaps}) / heap(10) = ${g.ratio.toFixed(2)}x, ${g.perSwapKB >= 0 ? '+' : ''}${g.perSwapKB.toFixed(1)} KB per swap (${g.afterFullKB >= 0 ? '+' : ''}${g.afterFullKB.toFixed(1)} KB per swap from 100 swaps on), ${alive(rows)} module scopes reachable`
  console.log(line('hotclass  ', h, sides.hotclass))
  console.log(line('node ?v=  ', n, sides.native))
  console.log(
    `module scopes: a version's top-level bindings, which its methods close over (hotclass ${alive(sides.hotclass)}, Node's loader ${alive(sides.native)}); the heap columns say what they cost with the code they hold`,
  )
}
