#!/usr/bin/env node
/**
 * The long run of the property tests: `npm run fuzz` runs at least 10,000 random cases (default) across
 * the property files, in chunks of a few hundred per Vitest process with a fresh seed each (one process
 * per chunk keeps the module graph small and the run restartable), and prints the count per property
 * and every failure with the seed that replays it:
 *
 *   HOTCLASS_PROPERTY_SEED=<seed> HOTCLASS_PROPERTY_RUNS=<runs> npx vitest run <file>
 *
 * Options: --cases N (total, default 10000), --seed S (first seed, default from the clock),
 * --only <name> (one property), --chunk N (cases per process; by default per property).
 */
import { spawnSync } from 'node:child_process'

const args = process.argv.slice(2)
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback
}

// Shares of the total, by cost: a production case loads three modules, a differential or fault case
// loads and swaps several versions of two or three.
// Chunks are smaller where a case leaves more behind in the process (registered classes, tracked
// objects, modules in Vite's graph): per-case cost grows with what the process holds.
const PROPERTIES = [
  { name: 'production', file: 'test/core/property-production.test.ts', share: 0.5, chunk: 500 },
  { name: 'differential', file: 'test/core/property-differential.test.ts', share: 0.2, chunk: 100 },
  { name: 'faults', file: 'test/core/property-faults.test.ts', share: 0.15, chunk: 100 },
  { name: 'patching', file: 'test/core/property.test.ts', share: 0.1, chunk: 250 },
  { name: 'references', file: 'test/core/property-references.test.ts', share: 0.05, chunk: 100 },
]

const total = Number(option('cases', '10000'))
const chunkOption = option('chunk', undefined)
const only = option('only', undefined)
let seed = Number(option('seed', String(Date.now() % 1_000_000_000)))
const chosen = PROPERTIES.filter((p) => only === undefined || p.name === only)
const shareSum = chosen.reduce((sum, p) => sum + p.share, 0)

const results = []
const started = Date.now()
for (const property of chosen) {
  const target = Math.ceil((total * property.share) / shareSum)
  let done = 0
  const failures = []
  while (done < target) {
    const runs = Math.min(Number(chunkOption ?? property.chunk), target - done)
    const run = spawnSync('npx', ['vitest', 'run', property.file, '--project', 'unit'], {
      encoding: 'utf8',
      env: {
        ...process.env,
        HOTCLASS_PROPERTY_RUNS: String(runs),
        HOTCLASS_PROPERTY_SEED: String(seed),
        FORCE_COLOR: '0',
      },
    })
    const output = `${run.stdout}\n${run.stderr}`
    if (run.status !== 0) {
      failures.push({
        seed,
        runs,
        output: output
          .split('\n')
          .filter((l) => /Counterexample|Caused by|seed:|Error/.test(l))
          .slice(0, 12),
      })
    }
    done += runs
    seed += 1
    process.stdout.write(`${property.name}: ${done}/${target} cases, ${failures.length} failing chunk(s)\r`)
  }
  process.stdout.write('\n')
  results.push({ property: property.name, cases: done, failures })
}

const cases = results.reduce((sum, r) => sum + r.cases, 0)
const failing = results.flatMap((r) => r.failures.map((f) => ({ property: r.property, ...f })))
console.log(`\n${cases} cases in ${((Date.now() - started) / 60_000).toFixed(1)} min`)
for (const r of results)
  console.log(`  ${r.property.padEnd(13)} ${String(r.cases).padStart(6)} cases, ${r.failures.length} failing chunk(s)`)
for (const f of failing) {
  console.log(`\nFAILED ${f.property}: HOTCLASS_PROPERTY_SEED=${f.seed} HOTCLASS_PROPERTY_RUNS=${f.runs}`)
  for (const line of f.output) console.log(`  ${line.slice(0, 400)}`)
}
process.exitCode = failing.length > 0 ? 1 : 0
