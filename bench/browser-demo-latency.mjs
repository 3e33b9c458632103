// F5 -> live in the demo itself (issue 11, item 8): the pixi game rendering a crowd in Debian's Chromium
// (software WebGL), served by a Vite dev server with the project's vite.config.ts from a private copy of
// demo/. Each round edits Enemy's colour, waits until the HUD says a change is pending and a person's
// "think time" has passed (the client prepares the pending version meanwhile), presses F5, and reads in
// the page: keydown -> swap committed (onReload), keydown -> the first game frame running the new code,
// and the client's Performance marks for each phase of the swap.
// Usage: node bench/browser-demo-latency.mjs [rounds=20] [enemies=300] [thinkMs=300]
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { createLogger, createServer } from 'vite'

const repo = fileURLToPath(new URL('..', import.meta.url))
const rounds = Number(process.argv[2] ?? 20)
const enemies = Number(process.argv[3] ?? 300)
const thinkMs = Number(process.argv[4] ?? 300)
const warmup = 2

const dir = join(repo, '.tmp', `bench-demo-latency-${process.pid}`)
const root = join(dir, 'demo')
mkdirSync(dir, { recursive: true })
cpSync(join(repo, 'demo'), root, { recursive: true, filter: (src) => !src.startsWith(join(repo, 'demo/server')) })
cpSync(join(repo, 'public'), join(dir, 'public'), { recursive: true })
const enemyFile = join(root, 'entities/Enemy.ts')
const enemySource = readFileSync(enemyFile, 'utf8')
if (!enemySource.includes('return 0xff5d73')) throw new Error('demo/entities/Enemy.ts no longer has its colour line')

const logger = createLogger('error')
const server = await createServer({
  configFile: join(repo, 'vite.config.ts'),
  root,
  cacheDir: join(dir, '.vite'),
  customLogger: logger,
  clearScreen: false,
  server: { port: 0, host: '127.0.0.1', watch: { ignored: [join(repo, 'src/**')] } },
})
await server.listen()
const url = server.resolvedUrls.local[0]
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--enable-unsafe-swiftshader',
    '--use-angle=swiftshader',
  ],
})

/** In the page: record each F5 press, the report, the next game frame and the client's marks. */
function instrument() {
  const g = globalThis
  const bench = { current: undefined, done: [] }
  g.bench = bench
  addEventListener(
    'keydown',
    (e) => {
      if (e.key !== 'F5') return
      bench.current = { key: e.timeStamp, frames: 0 }
    },
    { capture: true },
  )
  // The demo shows every report as a toast; the instance's own `show` sees it first.
  const toasts = g.game.toasts
  const show = toasts.show
  // The client's probe listener comes first, and a prepared swap can commit in the microtasks after it,
  // before this page's own keydown listener runs: keep the last report and match it by time.
  toasts.show = function (report) {
    bench.lastReport = {
      report: performance.now(),
      durationMs: report.durationMs,
      patchMs: report.patchMs,
      ok: report.ok,
    }
    return show.call(this, report)
  }
  // The ticker's first listener: the first frame to start after the report runs the new code.
  g.game.app.ticker.add(
    () => {
      const c = bench.current
      if (!c) return
      if (!bench.lastReport || bench.lastReport.report < c.key) {
        c.frames++
        return
      }
      Object.assign(c, bench.lastReport)
      c.frame = performance.now()
      c.marks = Object.fromEntries(
        performance
          .getEntriesByType('mark')
          .filter((m) => m.name.startsWith('hotclass:') && m.startTime >= c.key)
          .map((m) => [m.name, m.startTime]),
      )
      performance.clearMarks()
      // Where the new version's bytes came from: fetched before the key (prepared) or after it.
      const fetched = performance
        .getEntriesByType('resource')
        .filter((r) => r.name.includes('/entities/Enemy.ts?t='))
        .at(-1)
      c.fetchedAfterKey = performance
        .getEntriesByType('resource')
        .filter((r) => r.startTime >= c.key)
        .map((r) => `${r.name} ${(r.startTime - c.key).toFixed(1)}..${(r.responseEnd - c.key).toFixed(1)}`)
      if (fetched) Object.assign(c.marks, { 'fetch start': fetched.startTime, 'fetch end': fetched.responseEnd })
      bench.done.push(c)
      bench.current = undefined
    },
    null,
    1000,
  )
}

function percentile(values, p) {
  const sorted = values.toSorted((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * p) - 1))]
}
const fmt = (n) => (Number.isFinite(n) ? n.toFixed(1) : '-')

try {
  const page = await browser.newPage({ viewport: { width: 960, height: 600 } })
  const errors = []
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
  page.on('pageerror', (e) => errors.push(e.message))
  process.on('exit', () => errors.length && console.error(`page errors:\n${errors.join('\n')}`))
  await page.goto(`${url}?god&enemies=${enemies}`)
  await page.waitForFunction(() => (globalThis.game?.frame ?? 0) > 60 && globalThis.__HOTCLASS__?.connected, null, {
    timeout: 60_000,
  })
  await page.waitForFunction((n) => globalThis.game.entities.length >= n, enemies, { timeout: 60_000 })
  await page.evaluate(instrument)
  const samples = []
  for (let i = 0; i < warmup + rounds; i++) {
    const colour = (0x3ddc00 + i).toString(16)
    // The edited module marks the end of its own body, which tells fetching and linking from evaluating.
    const edited = enemySource.replace('return 0xff5d73', `return 0x${colour}`)
    writeFileSync(enemyFile, `${edited}\nperformance.mark('hotclass:evaluated (bench)')\n`)
    await page.locator('#hud .pending', { hasText: '1 change pending' }).waitFor({ state: 'visible', timeout: 15_000 })
    await page.waitForTimeout(thinkMs)
    const before = await page.evaluate(() => globalThis.bench.done.length)
    await page.keyboard.press('F5')
    await page
      .waitForFunction((n) => globalThis.bench.done.length > n, before, { timeout: 15_000 })
      .catch(async (e) => {
        const state = await page.evaluate(() => ({
          frame: globalThis.game.frame,
          pending: globalThis.__HOTCLASS__.pending,
          report: globalThis.__HOTCLASS__.lastReport,
          current: globalThis.bench.current,
          marks: performance.getEntriesByType('mark').map((m) => m.name),
        }))
        throw new Error(`no swap seen after F5: ${JSON.stringify(state)}`, { cause: e })
      })
    const s = await page.evaluate(() => globalThis.bench.done.at(-1))
    if (!s.ok) throw new Error(`swap ${i} failed`)
    const colourNow = await page.evaluate(() => globalThis.game.classes.Enemy.prototype.color)
    if (colourNow !== 0x3ddc00 + i) throw new Error(`swap ${i}: Enemy.color is ${colourNow.toString(16)}`)
    if (i >= warmup) samples.push(s)
  }
  const frameMs = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const stamps = []
        const tick = (t) => (stamps.push(t) < 61 ? requestAnimationFrame(tick) : resolve((stamps[60] - stamps[0]) / 60))
        requestAnimationFrame(tick)
      }),
  )
  const rows = []
  const row = (what, values) =>
    rows.push({ what, p50: fmt(percentile(values, 0.5)), p90: fmt(percentile(values, 0.9)) })
  row(
    'F5 keydown -> swap committed (onReload)',
    samples.map((s) => s.report - s.key),
  )
  row(
    'F5 keydown -> first game frame running it',
    samples.map((s) => s.frame - s.key),
  )
  row(
    'report.durationMs (import + patch)',
    samples.map((s) => s.durationMs),
  )
  row(
    'report.patchMs',
    samples.map((s) => s.patchMs),
  )
  row(
    'game frames started between keydown and commit',
    samples.map((s) => s.frames),
  )
  row(
    "import() -> the module's body has run",
    samples.map(
      (s) => (s.marks?.['hotclass:evaluated (bench)'] ?? Number.NaN) - (s.marks?.['hotclass:import'] ?? Number.NaN),
    ),
  )
  row(
    'keydown handler (hotclass:reload) -> swap committed',
    samples.map((s) => s.report - (s.marks?.['hotclass:reload'] ?? Number.NaN)),
  )
  // The client's marks (src/client/marks.ts), each from the keydown.
  const names = [...new Set(samples.flatMap((s) => Object.keys(s.marks ?? {})))]
  for (const name of names) {
    const values = samples.filter((s) => s.marks?.[name] !== undefined).map((s) => s.marks[name] - s.key)
    row(`  keydown -> ${name}`, values)
  }
  console.log(
    `demo F5 -> live, ${rounds} rounds, ${enemies} enemies, key ${thinkMs} ms after the HUD showed the change; ` +
      `mean frame ${fmt(frameMs)} ms (software WebGL); ms:`,
  )
  console.table(rows)
  mkdirSync(join(repo, 'bench/.results'), { recursive: true })
  writeFileSync(
    join(repo, 'bench/.results/browser-demo-latency.json'),
    JSON.stringify({ rounds, enemies, thinkMs, frameMs, samples }, null, 2),
  )
} finally {
  await browser.close()
  await server.close()
  rmSync(dir, { recursive: true, force: true })
}
