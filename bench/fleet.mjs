// Fleet figures (issue 14): 16 member processes and a coordinator on loopback with a real redis-server.
// save → every member live (p50/p99), abort latency when one member cannot prepare, catch-up time of a
// late joiner with 50 patches in the log, and bytes on the bus per patch. Prints, asserts nothing.
// Usage: node bench/fleet.mjs [members]
import { spawn } from 'node:child_process'
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { Redis } from 'ioredis'

const MEMBERS = Number(process.argv[2] ?? 16)
const SAVES = 50
const ABORTS = 10
const root = process.cwd()
const bin = join(root, 'bin/hotclass.js')
const base = join(root, 'test/.tmp', `bench-fleet-${process.pid}`)
// The trace lines (src/fleet/trace.ts) split each round into its phases; every process stamps epoch ms.
const env = { ...process.env, HOTCLASS_FLEET_SECRET: 'bench', NO_COLOR: '1', DEBUG: 'hotclass:fleet:trace' }
const now = () => performance.timeOrigin + performance.now()
const name = `bench-${process.pid}`

const enemy = (speed, extra = '') =>
  `import { reloadable } from 'hotclass'\n${extra}\n@reloadable()\nexport class Enemy {\n  hp = 10\n  speed() {\n    return ${speed}\n  }\n}\n`
const server = `import { Enemy } from './enemy.ts'\nconst enemy = new Enemy()\nsetInterval(() => enemy.speed(), 1000)\n`

function write(dir, file, text) {
  mkdirSync(join(dir, file, '..'), { recursive: true })
  writeFileSync(join(dir, file), text)
}

const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const free = s.address().port
    s.close(() => resolve(free))
  })
})

const traces = []

/** A child with its stderr lines, each stamped with when this process read it. */
function child(command, args, cwd) {
  const proc = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
  const lines = []
  const waiters = new Set()
  let partial = ''
  const onData = (chunk) => {
    const parts = (partial + chunk.toString('utf8')).split('\n')
    partial = parts.pop()
    const at = now()
    for (const text of parts) {
      const t = /trace v(\d+) (\S+) ([\d.]+)$/.exec(text)
      if (t) traces.push({ version: Number(t[1]), phase: t[2], at: Number(t[3]), from: proc.pid })
      else lines.push({ text, at })
    }
    for (const w of waiters) w()
  }
  proc.stdout.on('data', onData)
  proc.stderr.on('data', onData)
  return {
    proc,
    lines,
    waitFor(pattern, from = 0, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = lines.slice(from).find((l) => pattern.test(l.text))
          if (hit) {
            waiters.delete(check)
            clearTimeout(timer)
            resolve(hit)
          }
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`timed out waiting for ${pattern}:\n${lines.map((l) => l.text).join('\n')}`))
        }, timeoutMs)
        waiters.add(check)
        check()
      })
    },
  }
}

/**
 * Where the time of a save goes: when each phase ended, as the median over the saves of the time since
 * the save. Member phases count when the last member got there (the slowest sets the pace). Phases
 * overlap: the coordinator prepares while the watcher waits for the save to settle (src/fleet/early.ts).
 */
function breakdown(saved, coordinatorPid) {
  const phases = [
    ['write', 'c', 'the coordinator hears the first fs event'],
    ['batch', 'c', 'the save settled (watcher), no early round'],
    ['patch-built', 'c', 'patch built (transform, hash)'],
    ['prepare-sent', 'c', 'prepare signed and published'],
    ['prepare-heard', 'last', 'prepare reached every member'],
    ['voted', 'last', 'every member prepared and voted'],
    ['votes-in', 'c', 'votes in at the coordinator'],
    ['settled', 'c', 'the save settled (watcher)'],
    ['decided', 'c', 'decided (one Redis script: log, version, publish)'],
    ['decision-heard', 'last', 'decision reached every member'],
    ['swapped', 'last', 'every member swapped (evaluate + patch)'],
    ['reports-in', 'c', 'reports in at the coordinator'],
  ]
  console.log('when each phase ended, ms after the save (median over the saves):')
  for (const [phase, who, label] of phases) {
    const times = []
    for (const [version, t0] of saved) {
      const hits = traces.filter(
        (t) => t.version === version && t.phase === phase && (who === 'c') === (t.from === coordinatorPid),
      )
      if (hits.length > 0) times.push(Math.max(...hits.map((t) => t.at)) - t0)
    }
    if (times.length > 0) console.log(`  ${label.padEnd(52)} ${pct(times, 50).toFixed(1).padStart(6)}`)
  }
}

const pct = (values, p) => {
  const sorted = values.toSorted((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}
const ms = (v) => `${v.toFixed(0)} ms`

const redisDir = join(base, 'redis')
mkdirSync(redisDir, { recursive: true })
const redis = child(
  'redis-server',
  ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', redisDir],
  base,
)
const processes = [redis]
try {
  await redis.waitFor(/Ready to accept connections/)
  const url = `redis://127.0.0.1:${port}`
  const coordRoot = join(base, 'coordinator')
  write(coordRoot, 'src/enemy.ts', enemy(0))
  write(coordRoot, 'src/server.ts', server)
  write(coordRoot, 'src/extra.ts', 'export const extra = 1\n')
  const memberRoot = join(base, 'member')
  cpSync(coordRoot, memberRoot, { recursive: true })
  const brokenRoot = join(base, 'member-behind')
  cpSync(coordRoot, brokenRoot, { recursive: true })
  rmSync(join(brokenRoot, 'src/extra.ts'))

  const coordinator = child(
    process.execPath,
    [bin, 'fleet', 'serve', '--redis', url, '--name', name, '--deadline', '3000'],
    coordRoot,
  )
  processes.push(coordinator)
  await coordinator.waitFor(/serving v0/)
  const member = (id, dir = memberRoot) => {
    const c = child(
      process.execPath,
      [bin, 'run', '--quiet', '--fleet', url, '--name', name, '--member', id, 'src/server.ts'],
      dir,
    )
    processes.push(c)
    return c
  }
  const started = performance.now()
  const members = Array.from({ length: MEMBERS }, (_, i) => member(`m${i}`))
  // --quiet: members print only failures, so the coordinator's per-member report lines are the signal.
  await new Promise((resolve) => setTimeout(resolve, 0))
  const redisClient = new Redis(url)
  const deadline = Date.now() + 120_000
  while ((await redisClient.scard(`hotclass:fleet:${name}:members`)) < MEMBERS) {
    if (Date.now() > deadline) throw new Error('members did not all join')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  console.log(`${MEMBERS} members joined in ${ms(performance.now() - started)}`)

  const live = []
  const saved = new Map()
  for (let i = 1; i <= SAVES; i++) {
    const from = coordinator.lines.length
    const t0 = now()
    saved.set(i, t0)
    writeFileSync(join(coordRoot, 'src/enemy.ts'), enemy(i))
    const reports = await Promise.all(
      members.map((_, m) => coordinator.waitFor(new RegExp(`^\\[hotclass\\] v${i} m${m}: swapped`), from)),
    )
    live.push(Math.max(...reports.map((r) => r.at)) - t0)
  }
  console.log(
    `save → all ${MEMBERS} members live (${SAVES} saves, file watcher settle included): p50 ${ms(pct(live, 50))}, p99 ${ms(pct(live, 99))}, min ${ms(Math.min(...live))}`,
  )
  breakdown(saved, coordinator.proc.pid)

  const entries = await redisClient.xrange(`hotclass:fleet:${name}:log`, '-', '+')
  const entryBytes = entries.map(([, fields]) => Buffer.byteLength(fields[1]))
  const avg = entryBytes.reduce((a, b) => a + b, 0) / entryBytes.length
  // One prepare (the signed patch again, inside the message), one decision, one vote and one report per member.
  console.log(
    `bytes per patch: log entry ${avg.toFixed(0)} B; published by the coordinator ≈ ${(2 * avg).toFixed(0)} B + decision; delivered to members ≈ ${(MEMBERS * avg).toFixed(0)} B`,
  )

  const t0 = now()
  const late = member('late')
  const caught = await late.waitFor(/caught up with the fleet at v\d+|running src/)
  const serving = await late.waitFor(/running src|caught up/)
  console.log(
    `late joiner with ${entries.length} patches in the log: caught up ${ms(caught.at - t0)} after spawn (process start, Vite server, log replay)`,
  )
  void serving
  const t1 = now()
  const fresh = child(
    process.execPath,
    [bin, 'run', '--fleet', url, '--name', `${name}-empty`, 'src/server.ts'],
    memberRoot,
  )
  processes.push(fresh)
  await fresh.waitFor(/running src/)
  console.log(`for comparison, a member of an empty fleet serves ${ms(now() - t1)} after spawn`)

  const behind = member('behind', brokenRoot)
  while ((await redisClient.scard(`hotclass:fleet:${name}:members`)) < MEMBERS + 2)
    await new Promise((r) => setTimeout(r, 50))
  void behind
  const aborts = []
  for (let i = 0; i < ABORTS; i++) {
    const from = coordinator.lines.length
    const a0 = now()
    writeFileSync(join(coordRoot, 'src/enemy.ts'), enemy(1000 + i, "import { extra } from './extra.ts'\nvoid extra"))
    const aborted = await coordinator.waitFor(/aborted on every member/, from)
    aborts.push(aborted.at - a0)
  }
  console.log(
    `abort when one of ${MEMBERS + 2} members cannot prepare (${ABORTS} saves): p50 ${ms(pct(aborts, 50))}, p99 ${ms(pct(aborts, 99))}`,
  )
  redisClient.disconnect()
} finally {
  for (const p of processes.toReversed()) p.proc.kill('SIGKILL')
  rmSync(base, { recursive: true, force: true })
}
