// examples/colyseus under `hotclass run`, measured from a real SDK client: from the moment a save of
// arena-room.ts returns to the moment the client decodes a patch made by the new code, and the room's
// tick intervals (a 50 ms clock interval) in windows around swaps against a quiet window.
// Usage: node bench/node-colyseus.mjs [saves=30]
import { spawn } from 'node:child_process'
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Client } from '@colyseus/sdk'

const root = fileURLToPath(new URL('..', import.meta.url))
const saves = Number(process.argv[2] ?? 30)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))]
}
const ms = (n) => `${n.toFixed(1)} ms`
const summary = (values) => {
  const s = values.toSorted((a, b) => a - b)
  return `p50 ${ms(percentile(s, 0.5))}, p90 ${ms(percentile(s, 0.9))}, max ${ms(s.at(-1))} (${s.length})`
}
const intervals = (times) => times.slice(1).map((t, i) => t - times[i])

const dir = join(root, '.tmp', `bench-colyseus-${process.pid}`)
cpSync(join(root, 'examples/colyseus'), dir, { recursive: true })
const roomFile = join(dir, 'arena-room.ts')
const original = readFileSync(roomFile, 'utf8')
const withBanner = (label) => {
  const source = original.replace('return `arena: ', `return \`arena ${label}: `)
  if (source === original) throw new Error('arena-room.ts: banner() not found')
  return source
}

const server = spawn(process.execPath, [join(root, 'bin/hotclass.js'), 'run', 'server.ts', '--port', '0'], {
  cwd: dir,
  stdio: ['ignore', 'pipe', 'pipe'],
})
let stderr = ''
server.stderr.on('data', (chunk) => (stderr += chunk))
const port = await new Promise((resolve, reject) => {
  let out = ''
  server.stdout.on('data', (chunk) => {
    out += chunk
    const m = /listening on ws:\/\/127\.0\.0\.1:(\d+)/.exec(out)
    if (m) resolve(Number(m[1]))
  })
  server.once('exit', () => reject(new Error(`server exited:\n${stderr}`)))
})

const room = await new Client(`ws://127.0.0.1:${port}`).joinOrCreate('arena', { name: 'bench' })
/** Resolve when a decoded patch satisfies `check`. */
const seen = (check, timeoutMs = 5000) =>
  new Promise((resolve, reject) => {
    const onChange = (state) => {
      if (!check(state)) return
      room.onStateChange.remove(onChange)
      clearTimeout(timer)
      resolve(performance.now())
    }
    const timer = setTimeout(() => reject(new Error(`not seen in ${timeoutMs} ms; stderr:\n${stderr}`)), timeoutMs)
    room.onStateChange(onChange)
  })
/** The room's tick times since the last ask (server clock). */
const timing = () =>
  new Promise((resolve) => {
    const off = room.onMessage('timing', (times) => {
      off()
      resolve(times)
    })
    room.send('timing')
  })

const latencies = []
const nearSwaps = []
let quiet = []
try {
  await seen((s) => s.ticks > 10)
  await timing()
  await sleep(3000)
  quiet = intervals(await timing())
  for (let k = 1; k <= saves + 3; k++) {
    await timing()
    writeFileSync(roomFile, withBanner(`v${k}`))
    const saved = performance.now()
    const live = await seen((s) => s.banner.startsWith(`arena v${k}:`))
    await sleep(100)
    if (k > 3) {
      // the first saves warm up the JIT and the runner's caches
      latencies.push(live - saved)
      nearSwaps.push(...intervals(await timing()))
    }
    await sleep(200) // distinct saves, not one burst
  }
} finally {
  await room.leave().catch(() => undefined)
  server.kill('SIGINT')
  await new Promise((r) => server.once('exit', r))
  rmSync(dir, { recursive: true, force: true })
}

console.log(`Colyseus example, save -> an SDK client decodes the new behaviour, over ${latencies.length} saves:`)
console.log(`  ${summary(latencies)} (includes the 25 ms settle, the swap, and the next 50 ms tick and patch)`)
console.log(`intervals between the room's ticks (a 50 ms clock interval), server clock:`)
console.log(`  quiet 3 s:          ${summary(quiet)}`)
console.log(`  windows with swaps: ${summary(nearSwaps)}`)
process.exit(0)
