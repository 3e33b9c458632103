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
