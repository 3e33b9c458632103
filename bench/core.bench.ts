/**
 * Core figures (issue 2): construction and method-call cost of a reloadable class against the same
 * plain class, before and after 50 swaps; one-class swap cost with 5,000 other classes registered
 * against none; per-class patch cost without the module import.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { hotswap, reloadable } from '../src/index.ts'
import { compare, loop, median, natives, ratio } from './measure.ts'

const dir = join(process.cwd(), 'bench/.tmp')
mkdirSync(dir, { recursive: true })
const core = '../../src/index.ts'

const moverBody = (v: number) => `
  x: number
  vx: number
  hp = 100
  constructor(x: number) { this.x = x; this.vx = 1 }
  step(dt: number): number { /* v${v} */ this.x += this.vx * dt; return this.x }
  get speed(): number { return this.vx }`
const moverModule = (v: number) => `import { reloadable } from '${core}'
@reloadable({ id: 'bench/Mover' })
export class Mover {${moverBody(v)}
}
export class PlainMover {${moverBody(v)}
}
@reloadable({ id: 'bench/Grunt' })
export class Grunt extends Mover { armor = 2; step(dt: number): number { return super.step(dt) + this.armor } }
export class PlainGrunt extends PlainMover { armor = 2; step(dt: number): number { return super.step(dt) + this.armor } }`
const moverFile = join(dir, 'mover.ts')
writeFileSync(moverFile, moverModule(0))
const { Mover, PlainMover, Grunt, PlainGrunt } = (await import(/* @vite-ignore */ moverFile)) as Record<string, any>

const N = 200_000
const construct = (C: any) => {
  const body = loop(`for (let i = 0; i < n; i++) keep[i & 63] = new subject(i)`)
  return () => body(C, N)
}
const call = (o: any) => {
  const body = loop(`for (let i = 0; i < n; i++) acc += subject.step(1)`)
  return () => body(o, N)
}

function measure(label: string): void {
  const t = compare([
    { name: 'new plain', run: construct(PlainMover), ops: N },
    { name: 'new reloadable', run: construct(Mover), ops: N },
    { name: 'call plain', run: call(new PlainMover(0)), ops: N },
    { name: 'call reloadable', run: call(new Mover(0)), ops: N },
    { name: 'new plain subclass', run: construct(PlainGrunt), ops: N },
    { name: 'new reloadable subclass', run: construct(Grunt), ops: N },
    { name: 'super call plain', run: call(new PlainGrunt(0)), ops: N },
    { name: 'super call reloadable', run: call(new Grunt(0)), ops: N },
  ])
  const ns = (k: string) => t.get(k)!
  console.log(
    `${label}: construction ${ns('new reloadable').toFixed(1)} ns vs plain ${ns('new plain').toFixed(1)} ns = ${ratio(ns('new reloadable'), ns('new plain'))} (target <= 1.5x)`,
  )
  console.log(
    `${label}: method call  ${ns('call reloadable').toFixed(2)} ns vs plain ${ns('call plain').toFixed(2)} ns = ${ratio(ns('call reloadable'), ns('call plain'))} (target <= 1.1x)`,
  )
  console.log(
    `${label}: subclass construction ${ratio(ns('new reloadable subclass'), ns('new plain subclass'))}, super-calling method ${ratio(ns('super call reloadable'), ns('super call plain'))} (both classes reloadable vs both plain)`,
  )
  const v8 = natives()
  if (v8) {
    console.log(
      `${label}: instances share one hidden class: ${v8.sameMap(new Mover(1), new Mover(2))}; prototype has fast properties: ${v8.fast(Mover.prototype)}`,
    )
  }
}

const old = new Mover(0)
measure('before swaps')
for (let v = 1; v <= 50; v++) {
  writeFileSync(moverFile, moverModule(v))
  const r = await hotswap(moverFile)
  if (!r.ok) throw r.error
}
measure('after 50 swaps')
console.log(`an instance made before the swaps runs the new code: ${old.step(1) === 1 && old.speed === 1}`)

// Swap cost must not grow with the registry: patching touches only the classes that changed.
const oneFile = join(dir, 'one.ts')
const one = (v: number) => `import { reloadable } from '${core}'
@reloadable({ id: 'bench/One' })
export class One { value(): number { return ${v} } static n = ${v} }`
writeFileSync(oneFile, one(0))
await import(/* @vite-ignore */ oneFile)
let version = 0
async function swapCost(rounds: number): Promise<{ total: number; patch: number }> {
  const total: number[] = []
  const patch: number[] = []
  for (let i = 0; i < rounds; i++) {
    writeFileSync(oneFile, one(++version))
    const r = await hotswap(oneFile)
    if (!r.ok) throw r.error
    total.push(r.durationMs)
    patch.push(r.patchMs)
  }
  return { total: median(total), patch: median(patch) }
}
await swapCost(10)
const empty = await swapCost(40)
for (let i = 0; i < 5000; i++) {
  reloadable({ id: `bench/filler/${i}` })(
    class Filler {
      value(): number {
        return i
      }
    },
  )
}
const full = await swapCost(40)
console.log(
  `one-class swap, patch only: ${(full.patch * 1000).toFixed(1)} us with 5,000 other classes vs ${(empty.patch * 1000).toFixed(1)} us with none = ${ratio(full.patch, empty.patch)} (target ~1x)`,
)
console.log(
  `one-class swap, with the module import: ${full.total.toFixed(2)} ms with 5,000 other classes vs ${empty.total.toFixed(2)} ms with none = ${ratio(full.total, empty.total)}`,
)

// Per-class patch cost, without the import: a module of 20 classes of 6 members each.
const manyFile = join(dir, 'many.ts')
const many = (v: number) =>
  `import { reloadable } from '${core}'\n` +
  Array.from(
    { length: 20 },
    (_, i) => `@reloadable({ id: 'bench/Many${i}' })
export class Many${i} { a() { return ${v} } b() { return ${v} } get c() { return ${v} } static d() { return ${v} } static e = ${v}; f = ${v} }`,
  ).join('\n')
writeFileSync(manyFile, many(0))
await import(/* @vite-ignore */ manyFile)
const perClass: number[] = []
for (let v = 1; v <= 40; v++) {
  writeFileSync(manyFile, many(v))
  const r = await hotswap(manyFile)
  if (!r.ok) throw r.error
  perClass.push(r.patchMs / 20)
}
console.log(
  `per-class patch cost without the import: ${(median(perClass.slice(5)) * 1000).toFixed(1)} us (20-class module, 6 members each)`,
)
