/**
 * Continuity figures (issue 4): the transform's cost per 1,000 lines, and what each mechanism costs on
 * the hot path against the same code untransformed: a read and a write of a module-level binding, a
 * call of an exported function from an importer and from inside its module, construction of a tracked
 * class against an untracked one. Target: under 1.1x on the hot paths.
 *
 * Both variants of the measured modules are written outside the project root, where the plugin does
 * not transform: the plain one as is, the other through `runTransform` (exactly what the plugin emits),
 * so the two differ only by the transform. Each loop lives in its own module function, so V8's type
 * feedback for one never pollutes the other.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { rolldown } from 'rolldown'
import { transformWithOxc } from 'vite'
import { reloadable } from '../src/index.ts'
import { runTransform } from '../src/vite/transform/index.ts'
import { compare, median, ratio } from './measure.ts'

const N = 2_000_000

// --- hot paths -----------------------------------------------------------------------------------

const lib = `
let speed = 1
export function setSpeed(v) { speed = v }
const LIMIT = 3
export let score = 0
export function readLet(n) { let acc = 0; for (let i = 0; i < n; i++) acc += speed; return acc }
export function readConst(n) { let acc = 0; for (let i = 0; i < n; i++) acc += LIMIT; return acc }
export function writeLet(n) { for (let i = 0; i < n; i++) speed++; return speed }
export function writeExported(n) { for (let i = 0; i < n; i++) score++; return score }
export function add(a, b) { return (a + b) & 0xffff }
export function callInside(n) { let s = 0; for (let i = 0; i < n; i++) s = add(s, i); return s }
`
const caller = (from: string) => `
import { add } from './${from}'
export function callImported(n) { let s = 0; for (let i = 0; i < n; i++) s = add(s, i); return s }
`

type Lib = Record<string, (n: number) => number>
const hot = runTransform('bench/continuity-lib.mjs', lib, { selfAccept: false })
if (!hot) throw new Error('the continuity transform left the bench module untouched')

/**
 * Write both variants and their importers to a fresh folder outside the root and load them. `native`:
 * Node's own ESM loader, as a browser runs modules (the runtime bundled to one file by rolldown, since
 * Node cannot load TypeScript); otherwise Vite's module runner, as the Node host runs them.
 */
async function loadVariants(native: boolean): Promise<{
  libs: Record<'plain' | 'hot' | 'plainCaller' | 'hotCaller', Lib>
  /** Evaluate the transformed module again, as a swap does: every function cell gets a new body. */
  swap(): Promise<void>
  cleanup(): void
}> {
  const dir = mkdtempSync(join(tmpdir(), 'hotclass-bench-'))
  let hotCode = hot!.code
  if (native) {
    const bundle = await rolldown({ input: join(process.cwd(), 'src/index.ts'), platform: 'node', logLevel: 'silent' })
    await bundle.write({ file: join(dir, 'hotclass.mjs'), format: 'esm' })
    hotCode = hotCode.replace('from "hotclass"', 'from "./hotclass.mjs"')
  }
  writeFileSync(join(dir, 'plain.mjs'), lib)
  writeFileSync(join(dir, 'hot.mjs'), hotCode)
  writeFileSync(join(dir, 'plain-caller.mjs'), caller('plain.mjs'))
  writeFileSync(join(dir, 'hot-caller.mjs'), caller('hot.mjs'))
  // Code built by `new Function` is not rewritten by Vite, so its import() is Node's own.
  const nativeImport = new Function('u', 'return import(u)') as (u: string) => Promise<Lib>
  const load = (file: string, query = ''): Promise<Lib> =>
    native
      ? nativeImport(`${pathToFileURL(join(dir, file)).href}${query}`)
      : (import(/* @vite-ignore */ `${join(dir, file)}${query}`) as Promise<Lib>)
  const libs = {
    plain: await load('plain.mjs'),
    hot: await load('hot.mjs'),
    plainCaller: await load('plain-caller.mjs'),
    hotCaller: await load('hot-caller.mjs'),
  }
  return {
    libs,
    swap: async () => void (await load('hot.mjs', '?swapped')),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  }
}

const pair = (name: string, a: (n: number) => number, b: (n: number) => number) => [
  { name: `${name} plain`, run: () => void a(N), ops: N },
  { name: `${name} transformed`, run: () => void b(N), ops: N },
]
const hotPaths: Array<[string, string]> = [
  ['read of a reassigned module-level let (a cell)', 'readLet'],
  ['read of a module-level const (kept, plain binding)', 'readConst'],
  ['write of a module-level let (a cell)', 'writeLet'],
  ['write of an exported let (a cell + mirror)', 'writeExported'],
  ['call of a top-level function from inside its module', 'callInside'],
]
const importerCall = 'call of an exported function from an importer'
function measureHotPaths(v: Record<'plain' | 'hot' | 'plainCaller' | 'hotCaller', Lib>): Map<string, number> {
  const t = compare([
    ...hotPaths.flatMap(([name, fn]) => pair(name, v.plain[fn]!, v.hot[fn]!)),
    ...pair(importerCall, v.plainCaller['callImported']!, v.hotCaller['callImported']!),
  ])
  const ratios = new Map<string, number>()
  for (const name of [...hotPaths.map(([n]) => n), importerCall]) {
    ratios.set(name, t.get(`${name} transformed`)! / t.get(`${name} plain`)!)
    ratios.set(`${name} ns`, t.get(`${name} transformed`)!)
  }
  return ratios
}

for (const native of [true, false]) {
  const v = await loadVariants(native)
  const before = measureHotPaths(v.libs)
  // The same callers, after the module was evaluated again (what a swap does): the steady state of a
  // module being edited.
  await v.swap()
  const after = measureHotPaths(v.libs)
  v.cleanup()
  console.log(native ? 'native ESM (as in the browser):' : "Vite's module runner (as in the Node host):")
  for (const name of [...hotPaths.map(([n]) => n), importerCall]) {
    console.log(
      `  ${name}: ${before.get(name)!.toFixed(2)}x (${before.get(`${name} ns`)!.toFixed(2)} ns), ` +
        `after a swap of the module ${after.get(name)!.toFixed(2)}x (${after.get(`${name} ns`)!.toFixed(2)} ns)`,
    )
  }
}

// --- construction with instance tracking ---------------------------------------------------------

class PlainUnit {
  hp = 100
  x: number
  constructor(x: number) {
    this.x = x
  }
}
const Untracked = reloadable({ id: 'bench/continuity/Untracked' })(class Untracked extends PlainUnit {})
const Tracked = reloadable({ id: 'bench/continuity/Tracked', track: true })(class Tracked extends PlainUnit {})
const M = 200_000
const construct = (C: new (x: number) => object) => {
  // One compiled loop per class (see measure.ts: shared feedback makes every later loop polymorphic).
  const body = new Function(
    'C',
    'n',
    `/* ${C.name} */ const keep = new Array(64); for (let i = 0; i < n; i++) keep[i & 63] = new C(i); return keep.length`,
  )
  return () => void body(C, M)
}
const c = compare([
  { name: 'untracked', run: construct(Untracked), ops: M },
  { name: 'tracked', run: construct(Tracked), ops: M },
])
console.log(
  `construction of a tracked class, ${M.toLocaleString('en')} in one task: ${c.get('tracked')!.toFixed(1)} ns vs untracked ${c.get('untracked')!.toFixed(1)} ns = ${ratio(c.get('tracked')!, c.get('untracked')!)} (one WeakRef per instance, which also keeps every instance alive until the task ends)`,
)

/** The same in frames: 100 constructions per task, as a game spawning per tick does. */
async function framed(C: new (x: number) => object, frames: number): Promise<number> {
  const run = new Function(
    'C',
    'n',
    `/* framed ${C.name} */ let last; for (let i = 0; i < n; i++) last = new C(i); return last`,
  )
  let total = 0
  for (let f = 0; f < frames; f++) {
    const t0 = performance.now()
    run(C, 100)
    total += performance.now() - t0
    await new Promise((r) => setImmediate(r))
  }
  return (total * 1e6) / (frames * 100)
}
await framed(Untracked, 300)
await framed(Tracked, 300)
const frames: Record<string, number[]> = { untracked: [], tracked: [] }
for (let round = 0; round < 5; round++) {
  frames['untracked']!.push(await framed(Untracked, 400))
  frames['tracked']!.push(await framed(Tracked, 400))
}
const fu = median(frames['untracked']!)
const ft = median(frames['tracked']!)
console.log(
  `construction of a tracked class, 100 per task: ${ft.toFixed(1)} ns vs untracked ${fu.toFixed(1)} ns = ${ratio(ft, fu)}`,
)

// --- transform cost ------------------------------------------------------------------------------

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const path = join(dir, f)
    if (statSync(path).isDirectory()) return f === 'server' || f === 'node_modules' ? [] : sources(path)
    return f.endsWith('.ts') ? [path] : []
  })
}
const files = sources(join(process.cwd(), 'demo'))
const inputs = await Promise.all(
  files.map(async (file) => {
    const text = readFileSync(file, 'utf8')
    const { code } = await transformWithOxc(text, file, { decorator: { legacy: true, emitDecoratorMetadata: true } })
    return { id: file.slice(process.cwd().length + 1), code, lines: text.split('\n').length }
  }),
)
const lines = inputs.reduce((n, i) => n + i.lines, 0)
const rounds: number[] = []
for (let r = 0; r < 30; r++) {
  const t0 = performance.now()
  for (const input of inputs) runTransform(input.id, input.code)
  rounds.push(performance.now() - t0)
}
const perK = (median(rounds.slice(5)) / lines) * 1000
console.log(
  `transform (parse + continuity + fields + module ids + source map): ${perK.toFixed(2)} ms per 1,000 lines (the demo: ${files.length} files, ${lines} lines)`,
)
