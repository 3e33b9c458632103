import { afterAll, describe, expect, test } from 'vitest'
import { inspectModules, rollback, swapModules } from '../../src/index.ts'
import { scenario } from '../helpers/scenario.ts'

/**
 * Divergences the property tests found, each shrunk to its smallest module and written as the behaviour a
 * cold load (or the inert decorator) gives. Two are limits rather than fixes, and pin what hotclass does
 * instead (a warning; a clean failure under the default host).
 */

const s = scenario('counterexamples')
afterAll(() => s.cleanup())

describe('production equivalence (test/core/property-production.test.ts)', () => {
  // Shrunk from: { factory: true } — `static create = () => new this()`.
  // The transform rewrites `static create = <arrow>` into `__class.define(C, 'create', <arrow>)`, an
  // argument position, so the arrow loses the name a class field gives it (NamedEvaluation). Fix in
  // src/vite/transform/classes.ts (static field lowering): keep NamedEvaluation for anonymous functions
  // and classes, e.g. emit `{ create: <arrow> }.create` or have `__class.define` set the name when the
  // transform says the initialiser is an anonymous function definition.
  test('a function made by a static initialiser is named after its field', async () => {
    s.write(
      'arrow-name.ts',
      `import { reloadable } from 'HOTCLASS'
@reloadable() export class Spawner { static create = () => new this(); static hook = function () { return 1 } }`,
    )
    const { Spawner } = await s.load<any>('arrow-name.ts')
    expect(Spawner.create.name).toBe('create')
    expect(Spawner.hook.name).toBe('hook')
  })

  // Shrunk from: a class whose version 1 declares `static [SYM] = { v: 0 }`, changed at run time, and
  // whose later versions leave it unedited, then drop it. Same root as the test above: the transform
  // leaves computed-key statics to the raw class; core/patch.ts settleStatics then treats them as edited
  // on every swap (`prev.declaredStatics` is read only for untransformed versions), so the run-time value
  // is reset, and never removes them (they are in neither `staticHashes` nor `declaredStatics`).
  test('a computed-key static keeps its run-time value and goes when removed', async () => {
    const mod = (statics: string, other: number) => `import { reloadable } from 'HOTCLASS'
export const KEY = Symbol.for('counterexample.static')
@reloadable() export class Conf { ${statics} static other = ${other} }`
    s.write('computed-static.ts', mod('static [KEY] = { v: 0 };', 1))
    const { Conf, KEY } = await s.load<any>('computed-static.ts')
    Conf[KEY].v = 5
    await s.swap('computed-static.ts', mod('static [KEY] = { v: 0 };', 2))
    expect(Conf[KEY].v).toBe(5)
    await s.swap('computed-static.ts', mod('', 3))
    expect(Reflect.ownKeys(Conf)).not.toContain(KEY)
  })

  // Found by the differential (a live object given an arrow field by a swap): core/fields.ts give() calls
  // the transform's initialiser (src/vite/transform/fields.ts), which returns the arrow, so the arrow is
  // made in return position and gets no name; on a fresh object it is named after its field. Fix in the
  // initialiser the transform emits: `function () { return { onHit: <init> }.onHit }`-style named
  // evaluation for anonymous functions and classes.
  test('an arrow field given to live instances is named after its field', async () => {
    const mod = (fields: string) => `import { reloadable } from 'HOTCLASS'
@reloadable() export class Fighter { x = 1; ${fields} }`
    s.write('arrow-field-name.ts', mod(''))
    const { Fighter } = await s.load<any>('arrow-field-name.ts')
    const live = new Fighter()
    const report = await s.swap('arrow-field-name.ts', mod('onHit = (): number => 1'))
    expect(report.ok, report.error?.message).toBe(true)
    expect(new Fighter().onHit.name).toBe('onHit')
    expect(live.onHit.name).toBe('onHit')
  })

  // Shrunk from: statics { SYM: { kind: 'data', type: 'function' } } on a class.
  // src/vite/transform/classes.ts lowers only statics with literal keys; `static [SYM] = ...` runs on the
  // raw class, and core/patch.ts settleStatics copies the raw class's static data but skips every value
  // that is a function (`isCode`), so the static is missing from the live class. Fix: lower computed-key
  // statics like the others (the key expression evaluated once, in order), or settle function-valued data
  // that the raw class's *fields* defined (not its methods).
  test('a function in a computed-key static field is on the live class', async () => {
    s.write(
      'symbol-static.ts',
      `import { reloadable } from 'HOTCLASS'
export const HOOK = Symbol.for('counterexample.hook')
@reloadable() export class Hooks { static [HOOK] = (): string => 'hook' }`,
    )
    const { Hooks, HOOK } = await s.load<any>('symbol-static.ts')
    expect(typeof Hooks[HOOK]).toBe('function')
    expect(Hooks[HOOK]()).toBe('hook')
  })

  // Found while observing descriptors from a module the transform had processed: a method read in an
  // escaping position comes back from `__ref` as a forwarder (core/references.ts forwarderFor), which is a
  // plain method even when the method is `async` or a generator. Code that tells the kinds apart
  // (`fn.constructor.name === 'AsyncFunction'`, which some task runners and test tools use to decide
  // whether to await) sees a different function than in production. Fix in forwarderFor: build the
  // forwarder of the same kind (`async [name](...a) { return ... }`, `*[name](...a) { return yield* ... }`).
  test('a handed-out async method keeps its kind; a generator method gives its generator', async () => {
    s.write(
      'handed-kind.ts',
      `import { reloadable } from 'HOTCLASS'
@reloadable() export class Worker { async load(): Promise<number> { return 1 } *steps(): Generator<number> { yield 1; yield 2 } }
const w = new Worker()
export const handed = [w.load, w.steps]
export const kind = Object.getPrototypeOf(handed[0]).constructor.name
export const steps = [...handed[1].call(w)]`,
    )
    const { kind, steps } = await s.load<any>('handed-kind.ts')
    expect(kind).toBe('AsyncFunction')
    expect(steps).toEqual([1, 2])
  })
})

describe('differential (test/core/property-differential.test.ts)', () => {
  // Shrunk from: a version adding a symbol-keyed field `[SYM] = 3` to a class with live instances.
  // A computed key is known only as the class evaluates it, so such a field is not given to live
  // instances: the report names it and says so (a literal computed key, `['lit'] = 4`, is a plain name).
  test('a computed-key field a version adds is named in the report and its absence on live instances warned', async () => {
    const mod = (fields: string) => `import { reloadable } from 'HOTCLASS'
export const KEY = Symbol.for('counterexample.key')
@reloadable() export class Bag { x = 1; ${fields} }`
    s.write('computed-field.ts', mod(''))
    const { Bag } = await s.load<any>('computed-field.ts')
    const live = new Bag()
    const report = await s.swap('computed-field.ts', mod(`[KEY] = 3; ['lit'] = 4`))
    expect(report.ok, report.error?.message).toBe(true)
    expect(live.lit).toBe(4)
    expect(report.classes[0]!.added).toEqual(expect.arrayContaining(['field [KEY]', 'field lit']))
    expect(report.classes[0]!.warnings.join('\n')).toMatch(/did not get the computed-key field \[KEY\]/)
  })

  // Shrunk from: a static removed by one version and declared again by the next (or a kept static next
  // to a re-created one). A cold load defines statics in declaration order; after swaps, a kept static
  // keeps its old position and a re-declared one is appended (core/define.ts defineStatic and
  // core/patch.ts patchCode/settleStatics define onto the existing class), so `Object.keys(C)` and
  // `Reflect.ownKeys(C)` differ from a cold load. Fix: at settle, when the order of the class's own
  // statics differs from the version's declaration order, re-define them in that order (all are
  // configurable; values and accessors as they are).
  test('statics are in declaration order after swaps', async () => {
    const mod = (body: string) => `import { reloadable } from 'HOTCLASS'
@reloadable() export class Table { ${body} }`
    s.write('static-order.ts', mod('static a = 1; static b = 2'))
    const { Table } = await s.load<any>('static-order.ts')
    await s.swap('static-order.ts', mod('static b = 2'))
    const report = await s.swap('static-order.ts', mod('static a = 1; static b = 2'))
    expect(report.ok, report.error?.message).toBe(true)
    expect(Object.keys(Table)).toEqual(['a', 'b'])
  })

  // Shrunk from: A1 and A2 (A2 extends A1) both with `static instance = new X()`; the next version drops
  // A1's. src/vite/transform/classes.ts hashes a static initialiser's text after Oxc, which names each
  // class's self-reference `_A`, `_A2`, ... by the class name without trailing digits, numbered by order
  // of need in the module: once Level1 no longer needs one, Level2's `new _Level2()` becomes
  // `new _Level()`, the hash differs, and the unedited `static instance` is built again (a new object,
  // the old one's state lost). Fix: hash the declaration with the class's own alias normalised (or hash
  // the source text before Oxc).
  test("an unedited static initialiser keeps its value when another class's statics change", async () => {
    const mod = (first: string) => `import { reloadable } from 'HOTCLASS'
@reloadable() export class Level1 { ${first} }
@reloadable() export class Level2 { static instance = new Level2() }`
    s.write('levels.ts', mod('static instance = new Level1()'))
    const { Level2 } = await s.load<any>('levels.ts')
    const kept = Level2.instance
    const report = await s.swap('levels.ts', mod(''))
    expect(report.ok, report.error?.message).toBe(true)
    expect(Level2.instance).toBe(kept)
  })

  // Shrunk from: a class with `static create = () => new this()` whose next version drops it.
  // core/patch.ts settleStatics deletes a static the new version no longer declares only when its live
  // value is not code (`!isCode(live)`), so a declared static *field* holding a function (a factory, a
  // hook) stays on the class after its declaration is gone; a cold load has no such static. Fix: keys in
  // prev.staticHashes are field declarations whatever their value; delete them when undeclared.
  test('a removed static that holds a function goes', async () => {
    const mod = (body: string) => `import { reloadable } from 'HOTCLASS'
@reloadable() export class Maker { ${body} }`
    s.write('factory.ts', mod('static create = () => new this(); static hook = (): number => 1'))
    const { Maker } = await s.load<any>('factory.ts')
    const report = await s.swap('factory.ts', mod(''))
    expect(report.ok, report.error?.message).toBe(true)
    expect(Object.keys(Maker)).toEqual([])
  })

  // Shrunk from: a version that drops a static method and fails at load. core/patch.ts patchCode deletes
  // the dropped static while the version is live; on abort core/transaction.ts restoreOwn deletes what
  // the snapshot lacks and re-defines the snapshot's keys, but a key that still exists keeps its place
  // and a deleted one comes back last: `Reflect.ownKeys(C)` (and `Object.keys`, and prototype
  // reflection, where patchCode scrubs every member) is in another order than before the swap. Fix in
  // restoreOwn: when the order differs, delete every configurable key and define the snapshot's in order.
  test('a failed swap keeps the order of own keys', async () => {
    const mod = (body: string, tail: string) => `import { reloadable } from 'HOTCLASS'
@reloadable() export class Tool { ${body} }
${tail}`
    s.write(
      'order.ts',
      mod(
        'static a(): number { return 1 } static get b(): number { return 2 } c(): number { return 3 } d(): number { return 4 }',
        '',
      ),
    )
    const { Tool } = await s.load<any>('order.ts')
    const before = [Reflect.ownKeys(Tool), Reflect.ownKeys(Tool.prototype)]
    const report = await s.swap(
      'order.ts',
      mod('static get b(): number { return 2 } d(): number { return 4 }', `throw new Error('later')`),
    )
    expect(report.ok).toBe(false)
    expect([Reflect.ownKeys(Tool), Reflect.ownKeys(Tool.prototype)]).toEqual(before)
  })

  // Shrunk from: a version that adds `static { registry.push(this) }` and fails later in the module.
  // The new block runs (core/define.ts runBlock: a new block), pushes the live class onto the kept
  // `registry` array, and the abort restores classes and module bindings (continuity/journal.ts) but
  // not the contents of kept objects, so the registry keeps an entry a cold load never made. Fix: the
  // journal takes a shallow copy of kept arrays, Maps, Sets and plain objects when a covered module
  // keeps them, and puts their contents back on abort.
  test('a static block of a failed version leaves its registration behind', async () => {
    const mod = (block: string, tail: string) => `import { reloadable } from 'HOTCLASS'
export const registry: unknown[] = []
@reloadable() export class Scene { ${block} }
${tail}`
    s.write('registry.ts', mod('', ''))
    const m = await s.load<any>('registry.ts')
    const report = await s.swap('registry.ts', mod('static { registry.push(this) }', `throw new Error('later')`))
    expect(report.ok).toBe(false)
    expect(m.registry).toEqual([])
  })

  // Shrunk from: version 1 has no A0 in module a; version 2 adds A0 and module b's class extends it.
  // Under the default host (plain Node, Vitest: core/host.ts defaultHost.importModule) only the listed
  // modules' URLs are fresh; b's `import { Added } from './a.ts'` reaches a's first evaluation, which
  // never exported `Added`. The Vite-based hosts (browser, Node host) give every changed module a new
  // version and do not have this limit. Under the default host the swap fails as a whole, with the load
  // error, and the old code keeps running (README, Limits).
  test('under the default host, a subclass of a class newly added to another listed module fails cleanly', async () => {
    const a = (extra: string) => `import { reloadable } from 'HOTCLASS'
@reloadable() export class Base { hi(): string { return 'base' } }
${extra}`
    const b = (base: string) => `import { reloadable } from 'HOTCLASS'
import { ${base} } from './cross-a.ts'
@reloadable() export class Sub extends ${base} {}`
    s.write('cross-a.ts', a(''))
    s.write('cross-b.ts', b('Base'))
    const { Sub } = await s.load<any>('cross-b.ts')
    s.write('cross-a.ts', a(`@reloadable() export class Added { hi(): string { return 'added' } }`))
    s.write('cross-b.ts', b('Added'))
    const report = await swapModules([s.path('cross-a.ts'), s.path('cross-b.ts')])
    expect(report.ok).toBe(false)
    expect(report.error?.code).toBe('HOTCLASS_LOAD_FAILED')
    expect(new Sub().hi()).toBe('base')
  })
})

describe('fault injection (test/core/property-faults.test.ts)', () => {
  // Shrunk from: a version whose `migrate` pushes onto an instance's nested array, then throws.
  // core/transaction.ts migrateInstances journals each instance's own properties (shallow, `allOwn`)
  // before `migrate`; the abort puts those back, but the array they point at keeps the push (issue 9:
  // "a throwing migrate that changed nested data leaves that change"). Fix: before `migrate`, copy the
  // contents of the plain arrays and objects reachable from the instance (a bounded walk), and on abort
  // put the contents back into the same objects, so identities and contents are both as before.
  // Shrunk from: a version that adds a field and whose `migrate` throws. Transaction.commit gives the
  // added field to live instances (instanceWrites), then migrateInstances journals each instance's own
  // properties (now including the given field) into `undo`. Transaction.abort runs undoWrites first and
  // the `undo` list after, so the migration's journal puts the given field back on the instance. Fix in
  // core/transaction.ts abort: undo in reverse order of the writes (the migration journal before
  // undoWrites), e.g. one ordered journal for both.
  test('a throwing migrate does not leave a field the version added', async () => {
    const mod = (fields: string, options: string) => `import { reloadable } from 'HOTCLASS'
@reloadable(${options}) export class Chest { x = 1; ${fields} }`
    s.write('migrate-field.ts', mod('', ''))
    const { Chest } = await s.load<any>('migrate-field.ts')
    const live = new Chest()
    const report = await s.swap('migrate-field.ts', mod('y = 2', `{ migrate() { throw new Error('no') } }`))
    expect(report.ok).toBe(false)
    expect(Object.keys(live)).toEqual(['x'])
  })

  // Shrunk from: the fault-injection property with empty classes and a `migrate` that deletes a property
  // (`delete o.nested`) and throws. The abort puts the deleted property back, but last: `Object.keys(live)`
  // is ['score', 'nested'] where it was ['nested', 'score'] (JSON and spread order differ too). Fails until
  // fixed (restore the instance's own keys in their order, as restoreOwn does for classes): then make it a
  // plain `test` and let MIGRATE in test/core/property-faults.test.ts delete again.
  test("a throwing migrate keeps the order of an instance's own keys", async () => {
    const mod = (options: string, n: number) => `import { reloadable } from 'HOTCLASS'
@reloadable(${options}) export class Jar { nested: any = { n: 1 }; n(): number { return ${n} } }`
    s.write('migrate-order.ts', mod('', 1))
    const { Jar } = await s.load<any>('migrate-order.ts')
    const live = new Jar()
    live.score = 42
    expect(Object.keys(live)).toEqual(['nested', 'score'])
    const report = await s.swap(
      'migrate-order.ts',
      mod(`{ migrate(o: any) { delete o.nested; throw new Error('no') } }`, 2),
    )
    expect(report.ok).toBe(false)
    expect(Object.keys(live)).toEqual(['nested', 'score'])
  })

  test('a throwing migrate leaves nested data as it was', async () => {
    const mod = (options: string, n: number) => `import { reloadable } from 'HOTCLASS'
@reloadable(${options}) export class Crate { nested: any = { list: [1] }; n(): number { return ${n} } }`
    s.write('migrate.ts', mod('', 1))
    const { Crate } = await s.load<any>('migrate.ts')
    const live = new Crate()
    const report = await s.swap(
      'migrate.ts',
      mod(`{ migrate(o: any) { o.nested.list.push(9); o.nested.touched = true; throw new Error('no') } }`, 2),
    )
    expect(report.ok).toBe(false)
    expect(live.nested).toEqual({ list: [1] })
  })
})

describe('rollback (test/core/property-faults.test.ts)', () => {
  // Shrunk from: a good swap that adds a field, then rollback(). Transaction.commit gives the field to
  // live instances (instanceWrites, core/fields.ts giveFields), but the history step (core/history.ts
  // StepEntry, made in Transaction.commit) does not keep those writes, so rollback() restores the classes
  // and leaves the field on every live instance: `Object.keys`/JSON of a live object differ from before
  // the swap. Fix: keep the commit's instance writes in the step and undo them on rollback (where the
  // value is still the one given; a value the game changed since is state and stays).
  test('rollback removes the fields the swap gave to live instances', async () => {
    const mod = (fields: string) => `import { reloadable } from 'HOTCLASS'
@reloadable() export class Pack { x = 1; ${fields} }`
    s.write('rollback-fields.ts', mod(''))
    const { Pack } = await s.load<any>('rollback-fields.ts')
    const live = new Pack()
    const report = await s.swap('rollback-fields.ts', mod('y = 2'))
    expect(report.ok, report.error?.message).toBe(true)
    expect(Object.keys(live)).toEqual(['x', 'y'])
    expect((await rollback()).ok).toBe(true)
    expect(Object.keys(live)).toEqual(['x'])
  })

  // Shrunk from: a good swap that changes a constructor's arity, then rollback(). core/transaction.ts
  // restore(snapshot, statics) keeps every data property of the constructor that the swap did not write
  // as a static (`keepData`), and `length` (and `name`) are data properties, so the class keeps the
  // rolled-back version's arity. Fix: keepData must not apply to the constructor's own keys (length, name,
  // prototype), which patchCode sets and the snapshot holds.
  test('rollback restores the constructor length', async () => {
    const mod = (params: string) => `import { reloadable } from 'HOTCLASS'
@reloadable() export class Unit { constructor(${params}) { void 0 } }`
    s.write('rollback-length.ts', mod('a?: number'))
    const { Unit } = await s.load<any>('rollback-length.ts')
    const report = await s.swap('rollback-length.ts', mod('a?: number, b?: number'))
    expect(report.ok, report.error?.message).toBe(true)
    expect(Unit.length).toBe(2)
    expect((await rollback()).ok).toBe(true)
    expect(Unit.length).toBe(1)
  })

  // Shrunk from: a swap that adds a module-level binding, then rollback(). The rollback restores classes
  // and exported functions (continuity/journal.ts undoFunctions) but the module's store keeps the
  // rolled-back evaluation's record: inspectModules() lists its bindings (`added` present, the old
  // version's `removed` gone) and version. Fix: the journal of a committed swap keeps the store's
  // previous meta and version, and rollback puts them back with the function cells.
  test('rollback restores the module records inspectModules shows', async () => {
    const mod = (extra: string) => `import { reloadable } from 'HOTCLASS'
export const kept = 1
${extra}
@reloadable() export class Holder { n(): number { return kept } }`
    s.write('rollback-module.ts', mod('export const removed = 2'))
    await s.load<any>('rollback-module.ts')
    const id = (m: { id: string }) => m.id.endsWith('/rollback-module.ts')
    const before = JSON.stringify(inspectModules().find(id))
    const report = await s.swap('rollback-module.ts', mod('export const added = 3'))
    expect(report.ok, report.error?.message).toBe(true)
    expect((await rollback()).ok).toBe(true)
    expect(JSON.stringify(inspectModules().find(id))).toBe(before)
  })
  // Shrunk from: the fault-injection property's rollback check (v1 C1 with static methods and
  // `static instance = new C1()`, v2 with `static instance` only). A cold load defines static methods
  // before static fields; after a swap that dropped the method and rollback(), the method comes back
  // after the kept static data, so `Reflect.ownKeys(C)` is in another order than before the swap (a failed
  // swap keeps the order: restoreOwn; rollback does not). Fails until fixed: then make it a plain `test`
  // and drop StateWriter.sortStatics (test/helpers/state.ts).
  test("rollback restores the order of a class's statics", async () => {
    const mod = (body: string) => `import { reloadable } from 'HOTCLASS'
@reloadable() export class Table { ${body} }`
    s.write('rollback-order.ts', mod('static n = 1; static a(): number { return 1 }'))
    const { Table } = await s.load<any>('rollback-order.ts')
    const before = Reflect.ownKeys(Table)
    expect(before).toEqual(['length', 'name', 'prototype', 'a', 'n'])
    const report = await s.swap('rollback-order.ts', mod('static n = 1'))
    expect(report.ok, report.error?.message).toBe(true)
    expect((await rollback()).ok).toBe(true)
    expect(Reflect.ownKeys(Table)).toEqual(before)
  })
})
