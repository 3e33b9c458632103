import fc from 'fast-check'
import { afterAll, describe, expect, test } from 'vitest'
import { inspect, swapModules } from '../../src/index.ts'
import type { SwapReport } from '../../src/index.ts'
import {
  KEYS,
  classSpec,
  classSource,
  withoutFieldMetadata,
  keyOf,
  mutation,
  observedKeys,
  observedStatics,
  prelude,
} from '../helpers/class-source.ts'
import type { ClassSpec, Key, Member, StaticMember } from '../helpers/class-source.ts'
import { observeObject } from '../helpers/observe.ts'
import { propertyOptions } from '../helpers/runs.ts'
import { scenario } from '../helpers/scenario.ts'
import { StateWriter, expectUnchanged, stateOf } from '../helpers/state.ts'

/**
 * Differential: two modules of random classes (module b's classes may extend module a's), edited by a
 * random sequence of versions and swapped together with `swapModules`, must behave like a cold load of
 * the final sources, except for the state that is deliberately kept:
 * - static data whose declaration is unedited keeps its run-time value (of any type), an edited one
 *   takes the new value; the test replays on the cold load the run-time changes a kept value carries;
 * - a live instance keeps its own properties; a field a version adds is appended with that version's
 *   initial value, and a code field (arrow) whose initialiser changed is made again;
 * - a static block runs again only when it is new or edited.
 * Members change kind between versions (method, getter, setter, field, arrow, async, generator,
 * static), keys include a symbol, classes are added, removed and renamed, bases move across modules,
 * and failing versions are injected between good ones: after each failure the state of everything
 * is byte for byte what it was, and the next good version still applies.
 */

const s = scenario('differential')
afterAll(() => s.cleanup())

const A_SLOTS = 3
const B_SLOTS = 2

interface Slot {
  present: boolean
  renamed: boolean
  spec: ClassSpec
}
type Fault = 'throw' | 'syntax' | 'private' | 'static-throw'
interface Version {
  a: Slot[]
  b: Slot[]
  /** A failing attempt made before this version: its kind and the module it breaks. */
  fault: { kind: Fault; module: 'a' | 'b' } | null
  /** Swap only the modules whose source changed. */
  onlyChanged: boolean
  /** Which declared statics the game changes at run time after this version is live. */
  mutate: boolean[]
}

// A differential class: constructors that assign (a TypeScript parameter property is a field to some
// tools and not to others; production-equivalence covers those).
const slot = (base: fc.Arbitrary<number>): fc.Arbitrary<Slot> =>
  fc.record({
    present: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    renamed: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    spec: fc.tuple(classSpec(0), base).map(([spec, b]) => ({
      ...spec,
      base: b,
      ctor: spec.ctor.kind === 'params' ? { kind: 'none' as const, arity: 0 } : spec.ctor,
      members: withoutFieldMetadata(spec.members),
    })),
  })
const version: fc.Arbitrary<Version> = fc.record({
  // In a: -1 or an earlier a slot. In b: -1, an a slot (0..2) or an earlier b slot (3..).
  a: fc.tuple(...Array.from({ length: A_SLOTS }, (_, i) => slot(fc.integer({ min: -1, max: i - 1 })))),
  b: fc.tuple(...Array.from({ length: B_SLOTS }, (_, i) => slot(fc.integer({ min: -1, max: A_SLOTS + i - 1 })))),
  fault: fc.option(
    fc.record({
      kind: fc.constantFrom<Fault>('throw', 'syntax', 'private', 'static-throw'),
      module: fc.constantFrom<'a' | 'b'>('a', 'b'),
    }),
    { freq: 3 },
  ),
  onlyChanged: fc.boolean(),
  mutate: fc.array(fc.boolean(), { minLength: 32, maxLength: 32 }),
})
const history = fc.array(version, { minLength: 2, maxLength: 4 })

// ---- the model: names, chains, what each version declares -------------------------------------------

type Mod = 'a' | 'b'
const nameOf = (mod: Mod, i: number, sl: Slot) => `${mod.toUpperCase()}${i}${sl.renamed ? 'r' : ''}`

interface Resolved {
  name: string
  mod: Mod
  spec: ClassSpec
  base: string | undefined
}

/** The classes a version defines, in evaluation order, with bases resolved to names (or none). */
function resolve(v: Version, first: Version): Resolved[] {
  const out: Resolved[] = []
  const aName = (j: number) => (v.a[j]!.present ? nameOf('a', j, v.a[j]!) : undefined)
  // limit (README, Limits: "Under the default host ... `b` importing a class newly added to `a` fails the
  // swap cleanly"; pinned by 'under the default host, a subclass of a class newly added to another listed
  // module fails cleanly' in test/core/counterexamples.test.ts): module b's `import { X } from './a.ts'`
  // reaches a's first evaluation, so b extends only classes module a defined (under the same name) in its
  // first version.
  const firstA = new Set(first.a.flatMap((sl, j) => (sl.present ? [nameOf('a', j, sl)] : [])))
  const bBase = (j: number) => {
    const name = aName(j)
    return name !== undefined && firstA.has(name) ? name : undefined
  }
  v.a.forEach((sl, i) => {
    if (!sl.present) return
    const b = sl.spec.base
    out.push({ name: nameOf('a', i, sl), mod: 'a', spec: sl.spec, base: b >= 0 && b < i ? aName(b) : undefined })
  })
  v.b.forEach((sl, i) => {
    if (!sl.present) return
    const b = sl.spec.base
    let base: string | undefined
    if (b >= 0 && b < A_SLOTS) base = bBase(b)
    else if (b >= A_SLOTS && b - A_SLOTS < i && v.b[b - A_SLOTS]!.present)
      base = nameOf('b', b - A_SLOTS, v.b[b - A_SLOTS]!)
    out.push({ name: nameOf('b', i, sl), mod: 'b', spec: sl.spec, base })
  })
  return out
}

function render(classes: Resolved[], mod: Mod, aFile: string): string {
  const mine = classes.filter((c) => c.mod === mod)
  const imports =
    mod === 'b' ? [...new Set(mine.flatMap((c) => (c.base && c.base.startsWith('A') ? [c.base] : [])))] : []
  const importLine = `import { reloadable } from 'HOTCLASS'${imports.length ? `\nimport { ${imports.join(', ')} } from './${aFile}'` : ''}`
  const body = mine.map((c) => classSource(c.spec, c.name, c.base, '@reloadable()'))
  return `${prelude(importLine)}${body.join('\n')}\n`
}

/**
 * Fields an object of `name` gets under a version, as giveFields reads them: every class of its chain,
 * base first, a subclass's declaration of the same key taking its place (an accessor or method of a
 * subclass does not stop a base's field: the base still defines it on the object).
 */
function declaredFields(classes: Resolved[], name: string): Map<Key, Member> {
  const chain: Resolved[] = []
  for (let c = classes.find((x) => x.name === name); c; c = classes.find((x) => x.name === c!.base)) chain.unshift(c)
  const out = new Map<Key, Member>()
  for (const c of chain)
    for (const [k, m] of Object.entries(c.spec.members) as Array<[Key, Member]>)
      if (m.kind === 'field' || m.kind === 'arrow') out.set(k, m)
  return out
}

/** What a field's initialiser says: its kind and tag (the decorator is not part of it). */
const initText = (m: Member) => `${m.kind}:${m.tag}`

/** A static data declaration's text: edited when its type or tag changes. */
const staticText = (m: StaticMember | undefined) => (m?.kind === 'data' ? `${m.type}:${m.tag}` : undefined)

/** An object's own properties as the model keeps them: numbers, arrow fields by tag, anything else as read. */
type OwnValue = { num: number } | { arrow: number } | { raw: unknown }
type OwnState = Map<PropertyKey, OwnValue>

function readOwn(o: object): OwnState {
  const out: OwnState = new Map()
  for (const k of Reflect.ownKeys(o)) {
    const v = (o as Record<PropertyKey, unknown>)[k]
    if (typeof v === 'number') out.set(k, { num: v })
    else if (typeof v === 'function')
      out.set(k, { arrow: Number(/arrow(\d+)/.exec(String((v as () => string)()))![1]) })
    else out.set(k, { raw: v })
  }
  return out
}

function fieldValue(m: Member): OwnValue {
  return m.kind === 'arrow' ? { arrow: m.tag } : { num: m.tag }
}

/** The object a program holding this state would have, on the cold class's prototype. */
function materialise(state: OwnState, proto: object): object {
  const o = Object.create(proto) as Record<PropertyKey, unknown>
  for (const [k, v] of state) {
    const value = 'num' in v ? v.num : 'arrow' in v ? { [k]: (): string => `arrow${v.arrow}` }[k as string] : v.raw
    Object.defineProperty(o, k, { value, writable: true, enumerable: true, configurable: true })
  }
  return o
}

// ---- the run ------------------------------------------------------------------------------------------

let run = 0

interface Live {
  /** The class the object was made as (a name stable across every good version). */
  name: string
  object: object
  /** Undefined once the object's class was missing from a version (the model no longer follows it). */
  state: OwnState | undefined
}

describe('swapping behaves like a cold load of the final sources', () => {
  test('two modules, members changing kind, statics of every type, added/removed/renamed classes, failing versions', async () => {
    await fc.assert(
      fc.asyncProperty(history, async (versions) => {
        const id = ++run
        const ids = new WeakMap<object, number>()
        let seen = 0
        const trace = (what: string) => {
          if (!process.env['HOTCLASS_PROPERTY_TRACE']) return
          const insts = [...lastDefined.keys()].map((n) => {
            const o = canonical(n)?.instance as object | undefined
            if (o && !ids.has(o)) ids.set(o, ++seen)
            return `${n}.instance=${o ? ids.get(o) : '-'}`
          })
          console.error(`run ${id}: ${what} ${insts.join(' ')}`)
        }
        const aFile = `d${id}-a.ts`
        const bFile = `d${id}-b.ts`
        const suffixes = [`/${aFile}`, `/${bFile}`]
        // The live classes of these modules by name, read from the registry once per step (`inspect()`
        // counts every class's instances, too slow to call per lookup).
        let byName = new Map<string, any>()
        const refresh = () => {
          byName = new Map(
            inspect()
              .classes.filter((c) => suffixes.some((x) => c.module?.endsWith(x)))
              .map((c) => [c.name, c.canonical]),
          )
        }
        const canonical = (name: string): any => byName.get(name)

        // Model state.
        const lastDefined = new Map<string, Resolved>() // per class name: its spec when last defined
        const mutations = new Map<string, number>() // `${class}:${key}` -> run-time changes since (re)initialised
        const registry = { a: [] as string[], b: [] as string[] }
        const live: Live[] = []
        let good: Resolved[] = []
        trace(JSON.stringify(versions))

        /** Account for a version that became live: statics kept or fresh, blocks run, removed statics. */
        const accept = (classes: Resolved[]) => {
          for (const c of classes) {
            const prev = lastDefined.get(c.name)
            for (const k of KEYS) {
              const now = staticText(c.spec.statics[k])
              if (now === undefined || now !== staticText(prev?.spec.statics[k])) mutations.delete(`${c.name}:${k}`)
            }
            if (c.spec.block && !prev?.spec.block) registry[c.mod].push(c.name)
            // A new `static instance = new X()` made a live object, which later swaps give fields to.
            if (c.spec.instance && !prev?.spec.instance) {
              const o = canonical(c.name).instance as object
              live.push({ name: c.name, object: o, state: readOwn(o) })
            }
            lastDefined.set(c.name, c)
          }
        }
        /** The game changes some declared statics. */
        const mutate = (classes: Resolved[], bits: boolean[]) => {
          classes.forEach((c, ci) => {
            KEYS.forEach((k, ki) => {
              const m = c.spec.statics[k]
              if (m?.kind !== 'data' || !bits[(ci * KEYS.length + ki) % bits.length]) return
              runMutation(canonical(c.name), m, k)
              mutations.set(`${c.name}:${k}`, (mutations.get(`${c.name}:${k}`) ?? 0) + 1)
            })
          })
        }
        /** Fields a good swap gives live instances (giveFields' rule, written from the sources). */
        const giveFields = (before: Resolved[], after: Resolved[]) => {
          for (const l of live) {
            // The model follows objects of classes both versions define; others are dropped from it.
            if (!before.some((c) => c.name === l.name) || !after.some((c) => c.name === l.name)) {
              l.state = undefined
              continue
            }
            if (!l.state) continue
            const had = declaredFields(before, l.name)
            for (const [k, m] of declaredFields(after, l.name)) {
              // limit (README, Limits: "An instance field with a computed key ... is not given to live
              // instances"): `[SYM] = ...` is not given; the report names it and warns (checked after the swap).
              if (k === 'SYM') continue
              const own = l.state.get(keyOf(k))
              const was = had.get(k)
              if (!was) {
                if (!own) l.state.set(keyOf(k), fieldValue(m))
              } else if (own && 'arrow' in own && initText(was) !== initText(m)) l.state.set(keyOf(k), fieldValue(m))
            }
          }
        }

        // Version 0: a cold load of both modules.
        const first = resolve(versions[0]!, versions[0]!)
        s.write(aFile, render(first, 'a', aFile))
        s.write(bFile, render(first, 'b', aFile))
        const modA = await s.load<Record<string, any>>(aFile)
        const modB = await s.load<Record<string, any>>(bFile)
        refresh()
        accept(first)
        good = first
        // Live instances of classes present under one name in every version; their numeric fields changed.
        const stable = first.filter((c) =>
          versions.every((v) => resolve(v, versions[0]!).some((x) => x.name === c.name)),
        )
        for (const c of stable) {
          const o = new (canonical(c.name))(7, 8) as Record<PropertyKey, unknown>
          for (const k of KEYS) if (typeof o[keyOf(k)] === 'number') o[keyOf(k)] = (o[keyOf(k)] as number) + 1000
          live.push({ name: c.name, object: o, state: readOwn(o) })
        }
        mutate(first, versions[0]!.mutate)

        for (const v of versions.slice(1)) {
          const next = resolve(v, versions[0]!)
          const srcA = render(next, 'a', aFile)
          const srcB = render(next, 'b', aFile)
          if (v.fault) {
            const w = new StateWriter()
            const classesNow = [...lastDefined.keys()].map(canonical).filter(Boolean)
            const objects = live.map((l) => l.object)
            const before = stateOf(w, classesNow, objects, suffixes)
            const registryBefore = JSON.stringify([modA['registry'].length, modB['registry'].length])
            const broken = inject(v.fault.module === 'a' ? srcA : srcB, v.fault.kind, next, v.fault.module, lastDefined)
            s.write(aFile, v.fault.module === 'a' ? broken : srcA)
            s.write(bFile, v.fault.module === 'b' ? broken : srcB)
            trace(`fault ${v.fault.kind} in ${v.fault.module}`)
            const report = await swapModules([s.path(aFile), s.path(bFile)])
            expect(report.ok, `a ${v.fault.kind} in module ${v.fault.module} must fail the swap`).toBe(false)
            expectUnchanged(stateOf(w, classesNow, objects, suffixes), before, `state after a failed ${v.fault.kind}`)
            expect(JSON.stringify([modA['registry'].length, modB['registry'].length])).toBe(registryBefore)
          }
          const changed = [srcA !== render(good, 'a', aFile), srcB !== render(good, 'b', aFile)]
          s.write(aFile, srcA)
          s.write(bFile, srcB)
          const files =
            v.onlyChanged && changed.some(Boolean) ? [aFile, bFile].filter((_, i) => changed[i]) : [aFile, bFile]
          trace(`swap ${files.join(' ')}`)
          const report: SwapReport = await swapModules(files.map((f) => s.path(f)))
          expect(report.ok, report.error?.message).toBe(true)
          refresh()
          // A class the swapped modules no longer define is reported as removed.
          const removed = report.classes.filter((c) => c.isRemoved).map((c) => c.name)
          for (const c of good)
            if (files.includes(c.mod === 'a' ? aFile : bFile) && !next.some((x) => x.name === c.name))
              expect(removed).toContain(c.name)
          // A computed-key field a version adds is not given to live instances: the report names it and warns.
          const isField = (m: Member | undefined) => m?.kind === 'field' || m?.kind === 'arrow'
          for (const c of next) {
            const prev = lastDefined.get(c.name)
            if (!prev || !files.includes(c.mod === 'a' ? aFile : bFile)) continue
            if (!isField(c.spec.members.SYM) || isField(prev.spec.members.SYM)) continue
            const entry = report.classes.find((x) => x.name === c.name)
            expect(entry?.added, `${c.name} adds the computed-key field [SYM]`).toContain('field [SYM]')
            expect(entry?.warnings.join('\n')).toMatch(/did not get the computed-key field \[SYM\]/)
          }
          giveFields(good, next)
          accept(next)
          good = next
          mutate(next, v.mutate)
        }

        trace('cold load')
        // The cold load of the final sources, with the kept state replayed onto it.
        const final = good
        const coldA = `d${id}-cold-a.ts`
        const coldB = `d${id}-cold-b.ts`
        s.write(coldA, render(final, 'a', coldA))
        s.write(coldB, render(final, 'b', coldA))
        const coldModA = await s.load<Record<string, any>>(coldA)
        const coldModB = await s.load<Record<string, any>>(coldB)
        const cold = (name: string): any => (name.startsWith('A') ? coldModA : coldModB)[name]
        for (const c of final) {
          for (const k of KEYS) {
            const m = c.spec.statics[k]
            const n = mutations.get(`${c.name}:${k}`) ?? 0
            for (let i = 0; i < n; i++) runMutation(cold(c.name), m!, k)
          }
        }
        // Static instances are live objects too: the cold one is given the state the model says the kept one has.
        for (const c of final) {
          if (!c.spec.instance) continue
          const kept = canonical(c.name).instance as object
          expect(Object.getPrototypeOf(kept)).toBe(canonical(c.name).prototype)
          const modelled = live.find((l) => l.object === kept)
          expect(modelled, `${c.name}.instance is the object its unedited declaration made`).toBeDefined()
          // An object whose class was missing from some version is compared as it is (its fields unmodelled).
          Object.defineProperty(cold(c.name), 'instance', {
            value: materialise(modelled!.state ?? readOwn(kept), cold(c.name).prototype),
            writable: true,
            enumerable: true,
            configurable: true,
          })
        }

        const swappedClasses = final.map((c) => [c.name, canonical(c.name)] as const)
        const coldClasses = final.map((c) => [c.name, cold(c.name)] as const)
        const swappedNames = new Map<unknown, string>(swappedClasses.map(([n, C]) => [C, n]))
        const coldNames = new Map<unknown, string>(coldClasses.map(([n, C]) => [C, n]))
        trace('observe')
        for (const [i, [name, S]] of swappedClasses.entries()) {
          const C = coldClasses[i]![1]
          const got = await observeObject(
            new S(7, 8),
            S,
            swappedClasses,
            swappedNames,
            observedKeys,
            observedStatics,
            true,
          )
          const want = await observeObject(new C(7, 8), C, coldClasses, coldNames, observedKeys, observedStatics, true)
          expect(got, `class ${name}, a fresh object and the class`).toEqual(want)
        }
        for (const l of live) {
          if (!l.state || !final.some((c) => c.name === l.name)) continue
          const S = canonical(l.name)
          const C = cold(l.name)
          const got = await observeObject(l.object, S, swappedClasses, swappedNames, observedKeys, [], false)
          const want = await observeObject(
            materialise(l.state, C.prototype),
            C,
            coldClasses,
            coldNames,
            observedKeys,
            [],
            false,
          )
          expect(got, `a live ${l.name} made by the first version`).toEqual(want)
        }
        // Static blocks: each registration is the live class, and a block runs again only when new or edited.
        for (const mod of ['a', 'b'] as const) {
          const entries = (mod === 'a' ? modA : modB)['registry'] as unknown[]
          const names = new Map([...byName].map(([n, C]) => [C, n]))
          expect(entries.map((e) => names.get(e))).toEqual(registry[mod])
        }
      }),
      propertyOptions(40),
    )
  }, 600_000)
})

function runMutation(C: unknown, m: StaticMember, k: Key): void {
  // eslint-disable-next-line no-new-func -- the same statement game code would run, on either program
  new Function('C', 'SYM', mutation(m.type, 'C', k))(C, Symbol.for('hc.sym'))
}

/** A failing version of a module: a top-level throw, a syntax error, an instance `#private`, a throwing static. */
function inject(source: string, kind: Fault, next: Resolved[], mod: Mod, lastDefined: Map<string, Resolved>): string {
  const mine = next.filter((c) => c.mod === mod)
  switch (kind) {
    case 'throw':
      return `${source}\nthrow new Error('fault at load')\n`
    case 'syntax':
      return `${source}\nexport const broken = (\n`
    case 'private': {
      // Refused only for a class that already exists: its live objects could not carry the new field.
      const target = mine.find((c) => lastDefined.has(c.name))
      if (!target) return `${source}\nthrow new Error('fault at load')\n`
      return source.replace(
        new RegExp(`(export class ${target.name}\\b[^{]*\\{)`),
        `$1\n  #secret = 1;\n  peek(): number { return this.#secret };`,
      )
    }
    case 'static-throw': {
      const target = mine.at(-1)
      if (!target) return `${source}\nthrow new Error('fault at load')\n`
      return source.replace(
        new RegExp(`(export class ${target.name}\\b[^{]*\\{)`),
        `$1\n  static boom = (() => { throw new Error('fault in a static initialiser') })();`,
      )
    }
  }
}
