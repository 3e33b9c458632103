// Why instance tracking costs what it costs (issue 9): the same loop of 100k short-lived objects (64 kept)
// with the tracker's steps added one at a time, as src/core/instances.ts does them: push onto a batch
// flushed in a microtask (`drop`: the batch is just emptied), hold the objects strongly past the task
// (`strong`), and the real thing (`weak`: a WeakRef per object, pruned when the list doubles). Each mode
// runs in its own process so no mode pays for another's heap. Figures are process CPU time per object.
// Usage: node --expose-gc bench/node-tracking.mjs
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const self = fileURLToPath(import.meta.url)
const tick = () => new Promise((resolve) => setImmediate(resolve))
const clock = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}
const mode = process.argv[2]

if (!mode) {
  console.log('tracking steps, ns per construction (CPU time, min/median of 10 rounds of 5 tasks of 100k)')
  for (const m of ['plain', 'drop', 'strong', 'weak']) {
    const r = spawnSync(process.execPath, ['--expose-gc', self, m], { encoding: 'utf8' })
    process.stdout.write(r.stdout)
    if (r.status !== 0) {
      process.stderr.write(r.stderr)
      process.exitCode = 1
    }
  }
} else {
  class O {
    a = 0
    b = 0
    c = 0
    d = true
    e = 100
    f = 1
    g = 0.5
    h = 2
    i = 3
    constructor(x) {
      this.a = x
    }
  }
  const FLUSH_AT = 1 << 16
  const batch = []
  let refs = []
  let live = 0
  let peakRefs = 0
  const flush = () => {
    if (batch.length === 0) return
    if (mode === 'drop') {
      batch.length = 0
      return
    }
    if (mode === 'strong') {
      for (const o of batch) refs.push(o)
      batch.length = 0
      if (refs.length > 1e6) refs = []
      return
    }
    for (const o of batch) refs.push(new WeakRef(o))
    batch.length = 0
    if (refs.length > 2 * live + 1024) {
      let w = 0
      for (const r of refs) if (r.deref() !== undefined) refs[w++] = r
      refs.length = w
      live = w
    }
    peakRefs = Math.max(peakRefs, refs.length)
  }
  const note = (o) => {
    const n = batch.push(o)
    if (n === 1) queueMicrotask(flush)
    else if (n >= FLUSH_AT) flush()
  }
  const run = (n) => {
    const keep = Array.from({ length: 64 })
    for (let i = 0; i < n; i++) {
      const o = new O(i)
      if (mode !== 'plain') note(o)
      keep[i & 63] = o
    }
    return keep
  }
  const out = []
  let peakHeap = 0
  for (let r = 0; r < 12; r++) {
    await tick()
    const t0 = clock()
    for (let k = 0; k < 5; k++) {
      run(100_000)
      await tick()
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)
    }
    if (r >= 2) out.push(((clock() - t0) * 1e6) / 5e5)
  }
  out.sort((a, b) => a - b)
  const med = (out[(out.length >> 1) - 1] + out[out.length >> 1]) / 2
  console.log(
    `${mode.padEnd(7)} ${out[0].toFixed(0)}/${med.toFixed(0)} ns` +
      (mode === 'weak' ? ` (references held at most: ${peakRefs}, for 64 live objects)` : '') +
      ` peak heap ${(peakHeap / 1e6).toFixed(0)} MB`,
  )
}
