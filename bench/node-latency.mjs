// Save-to-live latency of the Node host: from the moment a save returns to the moment a live instance
// runs the new code, through chokidar, the settle wait, the module runner and the patch.
// Usage: node bench/node-latency.mjs [saves=60] [settleMs=25]
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runnerImport } from 'vite'

const root = fileURLToPath(new URL('..', import.meta.url))
const saves = Number(process.argv[2] ?? 60)
const settleMs = Number(process.argv[3] ?? 25)

const unit = (version) => `import { reloadable } from 'hotclass'
@reloadable()
export class Unit {
  hp = 100
  version() { return ${version} }
  damage(n: number) { this.hp -= n * ${version % 7} }
}
`

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))]
}

const dir = join(root, '.tmp', `bench-node-latency-${process.pid}`)
mkdirSync(join(dir, 'src'), { recursive: true })
const file = join(dir, 'src/unit.ts')
writeFileSync(file, unit(0))
writeFileSync(join(dir, 'src/main.ts'), `import { Unit } from './unit.ts'\nexport const unit = new Unit()\n`)

const { module: node } = await runnerImport(join(root, 'src/node/index.ts'), { root, logLevel: 'error' })
const host = await node.createNodeHost({ root: dir, settleMs })
const swapMs = []
host.onEvent((e) => {
  if (e.type === 'report' && e.report.ok) swapMs.push(e.report.durationMs)
  if (e.type === 'report' && !e.report.ok) console.error(e.report.error?.message)
})
const { unit: live } = await host.run('src/main.ts')

const latencies = []
try {
  for (let v = 1; v <= saves + 5; v++) {
    writeFileSync(file, unit(v))
    const saved = performance.now()
    // Poll as a game loop would, but every turn of the event loop rather than every frame.
    while (live.version() !== v) {
      await new Promise((r) => setImmediate(r))
      if (performance.now() - saved > 5000) throw new Error(`version ${v} never went live`)
    }
    if (v > 5) latencies.push(performance.now() - saved) // the first saves warm up the JIT and caches
    await new Promise((r) => setTimeout(r, 40)) // distinct saves, not one burst
  }
} finally {
  await host.close()
  rmSync(dir, { recursive: true, force: true })
}

const sorted = latencies.toSorted((a, b) => a - b)
const swaps = swapMs.slice(5).toSorted((a, b) => a - b)
const median = percentile(sorted, 0.5)
const swapMedian = percentile(swaps, 0.5)
console.log(`save-to-live over ${latencies.length} saves (settle ${settleMs} ms):`)
console.log(
  `  median ${median.toFixed(1)} ms, p90 ${percentile(sorted, 0.9).toFixed(1)} ms, min ${sorted[0].toFixed(1)} ms, max ${sorted.at(-1).toFixed(1)} ms`,
)
console.log(`  of which the swap itself (load + patch): median ${swapMedian.toFixed(1)} ms`)
console.log(
  `  watching + settling: median ${(median - swapMedian).toFixed(1)} ms; swap / total = ${(swapMedian / median).toFixed(2)}`,
)
process.exit(0)
