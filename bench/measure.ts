/**
 * Side-by-side measurement: each candidate gets its own loop function (compiled separately, so V8's
 * feedback for one never pollutes another), rounds are interleaved, and the median round is kept.
 */

export interface Candidate {
  name: string
  /** Build the loop body's subject once (a class, an instance). */
  subject: unknown
}

let compiled = 0

/**
 * Compile a fresh loop `(subject, n) => number` from source, with its own type feedback. The counter
 * comment matters: V8 caches `new Function` by source text, and two loops sharing one compiled function
 * share its feedback, which made every later measurement polymorphic (and ~4x slower).
 */
export function loop(body: string): (subject: any, n: number) => number {
  const source = `/* loop ${++compiled} */ let acc = 0; const keep = new Array(64);\n${body}\nreturn acc + keep.length`
  return new Function('subject', 'n', source) as (subject: any, n: number) => number
}

export function median(values: number[]): number {
  const sorted = values.toSorted((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Nanoseconds per operation for each runner, measured in interleaved rounds. */
export function compare(runs: Array<{ name: string; run: () => void; ops: number }>, rounds = 15): Map<string, number> {
  const times = new Map<string, number[]>(runs.map((r) => [r.name, []]))
  for (let i = 0; i < 3; i++) for (const r of runs) r.run() // warm up: let every loop reach optimised code
  for (let i = 0; i < rounds; i++) {
    for (const r of runs) {
      const t0 = performance.now()
      r.run()
      times.get(r.name)!.push(((performance.now() - t0) * 1e6) / r.ops)
    }
  }
  return new Map([...times].map(([k, v]) => [k, median(v)]))
}

export function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}x`
}

/** `%HaveSameMap` and friends when node runs with --allow-natives-syntax, else undefined. */
export function natives(): { sameMap(a: object, b: object): boolean; fast(o: object): boolean } | undefined {
  try {
    return {
      sameMap: new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean,
      fast: new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean,
    }
  } catch {
    return undefined
  }
}

export interface Spread {
  min: number
  median: number
}

/**
 * The clock of `compareTasks` and `compareSpread`, in ms: this process's CPU time (user + system, every
 * thread, so GC helper threads count) unless BENCH_CLOCK=wall. The machine these figures come from is
 * shared (load average often 5–10 on 2 cores): wall time there mostly measures the other processes.
 */
export const clock: () => number =
  process.env['BENCH_CLOCK'] === 'wall'
    ? () => performance.now()
    : () => {
        const u = process.cpuUsage()
        return (u.user + u.system) / 1000
      }
export const clockName = process.env['BENCH_CLOCK'] === 'wall' ? 'wall time' : 'process CPU time'

const macrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

const collect = (globalThis as { gc?: () => void }).gc

function spreadOf(v: number[]): Spread {
  return { min: Math.min(...v), median: median(v) }
}

/** What `compareTasks` measured for one candidate, in ns per operation. */
export interface TaskFigures {
  /** The runs and the microtasks they queued. */
  run: Spread
  /** The same plus a full collection after them (`gc()`): what the runs left for the collector. */
  total: Spread
}

/**
 * Like `compare`, but each candidate's turn is timed as whole tasks: `reps` runs, each followed by a
 * macrotask boundary so the microtasks it queued (the instance tracker's WeakRef flush) are inside the
 * figure. A turn starts on a collected heap (an untimed `gc()`, when node runs with --expose-gc) so no
 * candidate pays for the garbage of the one before it, and ends with a timed `gc()`: objects a tracker
 * kept alive past their first scavenges are paid for there. Several runs per turn amortise the smaller
 * young generation a forced collection leaves. Order reversed every other round. Returns nanoseconds
 * per operation, min and median over the rounds.
 */
export async function compareTasks(
  runs: Array<{ name: string; run: () => unknown; ops: number }>,
  rounds = 15,
  reps = 5,
): Promise<Map<string, TaskFigures>> {
  const times = new Map<string, { run: number[]; total: number[] }>(runs.map((r) => [r.name, { run: [], total: [] }]))
  for (let i = 0; i < 3; i++) {
    for (const r of runs) {
      r.run()
      await macrotask()
    }
  }
  for (let i = 0; i < rounds; i++) {
    for (const r of i % 2 ? runs.toReversed() : runs) {
      collect?.()
      await macrotask()
      const t0 = clock()
      for (let k = 0; k < reps; k++) {
        r.run()
        await macrotask()
      }
      const t1 = clock()
      collect?.()
      const t2 = clock()
      const t = times.get(r.name)!
      t.run.push(((t1 - t0) * 1e6) / (r.ops * reps))
      t.total.push(((t2 - t0) * 1e6) / (r.ops * reps))
    }
  }
  return new Map([...times].map(([k, v]) => [k, { run: spreadOf(v.run), total: spreadOf(v.total) }]))
}

/** `compare` with min and median, order reversed every other round; synchronous (no task boundary). */
export function compareSpread(
  runs: Array<{ name: string; run: () => unknown; ops: number }>,
  rounds = 15,
): Map<string, Spread> {
  const times = new Map<string, number[]>(runs.map((r) => [r.name, []]))
  for (let i = 0; i < 3; i++) for (const r of runs) r.run()
  for (let i = 0; i < rounds; i++) {
    for (const r of i % 2 ? runs.toReversed() : runs) {
      const t0 = clock()
      r.run()
      times.get(r.name)!.push(((clock() - t0) * 1e6) / r.ops)
    }
  }
  return new Map([...times].map(([k, v]) => [k, spreadOf(v)]))
}
