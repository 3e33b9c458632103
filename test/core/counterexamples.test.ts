import { afterAll, describe, expect, test } from 'vitest'
import { scenario } from '../helpers/scenario.ts'

/**
 * Divergences the property tests found, each shrunk to its smallest module. Each is written as the
 * behaviour a cold load (or the inert decorator) gives and marked `test.fails` while the core or the
 * transform still diverges: the test runs, and the day the fix lands it fails, which says to turn it into
 * a plain `test` and to drop the matching TODO exclusion named in the property test's generator.
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
  test.fails('a function made by a static initialiser is named after its field', async () => {
    s.write(
      'arrow-name.ts',
      `import { reloadable } from 'HOTCLASS'
@reloadable() export class Spawner { static create = () => new this(); static hook = function () { return 1 } }`,
    )
    const { Spawner } = await s.load<any>('arrow-name.ts')
    expect(Spawner.create.name).toBe('create')
    expect(Spawner.hook.name).toBe('hook')
  })

  // Shrunk from: statics { SYM: { kind: 'data', type: 'function' } } on a class.
  // src/vite/transform/classes.ts lowers only statics with literal keys; `static [SYM] = ...` runs on the
  // raw class, and core/patch.ts settleStatics copies the raw class's static data but skips every value
  // that is a function (`isCode`), so the static is missing from the live class. Fix: lower computed-key
  // statics like the others (the key expression evaluated once, in order), or settle function-valued data
  // that the raw class's *fields* defined (not its methods).
  test.fails('a function in a computed-key static field is on the live class', async () => {
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
  test.fails('a handed-out async or generator method keeps its kind', async () => {
    s.write(
      'handed-kind.ts',
      `import { reloadable } from 'HOTCLASS'
@reloadable() export class Worker { async load(): Promise<number> { return 1 } *steps(): Generator<number> { yield 1 } }
const w = new Worker()
export const handed = [w.load, w.steps]
export const kinds = handed.map((f) => Object.getPrototypeOf(f).constructor.name)`,
    )
    const { kinds } = await s.load<any>('handed-kind.ts')
    expect(kinds).toEqual(['AsyncFunction', 'GeneratorFunction'])
  })
})
