import fc from 'fast-check'
import { afterAll, describe, expect, test } from 'vitest'
import { ErrorCodes, inspect, rollback, swapModules } from '../../src/index.ts'
import { classSource, classSpec, classList, prelude, withoutFieldMetadata } from '../helpers/class-source.ts'
import type { ClassSpec } from '../helpers/class-source.ts'
import { propertyOptions } from '../helpers/runs.ts'
import { scenario } from '../helpers/scenario.ts'
import { StateWriter, expectUnchanged, stateOf } from '../helpers/state.ts'

/**
 * Fault injection: every way a swap can fail leaves the program byte for byte as it was: both
 * constructors' and prototypes' descriptors, both [[Prototype]] links, reflect-metadata (outer
 * decorators above `@reloadable()` included), every tracked instance's own properties and the data
 * they hold, the registry (`inspect().classes`) and module state (`inspectModules()`). Random classes in
 * a module `a` (with a subclass in a module `b` and a dependency `dep`), edited at random, and one
 * failure each run; afterwards a good version still applies.
 */

const s = scenario('faults')
afterAll(() => s.cleanup())

const FAULTS = [
  'throw', // a top-level throw after the classes were defined (and made live)
  'syntax', // the module does not parse
  'private', // a refused construct: an instance `#private` on a class with live instances
  'static-throw', // a static initialiser throws mid-definition
  'migrate', // the new version's `migrate` changes an instance (and nested data), then throws
  'second-module', // swapModules([a, b]): a is good, b throws
  'dependency', // a imports a new module that throws at load
  'layout', // a refused layout change: a decorated field is added
  'concurrent', // the swap fails while an unrelated module is imported for the first time
] as const
type Fault = (typeof FAULTS)[number]

interface Case {
  v1: ClassSpec[]
  v2: ClassSpec[]
  sub: ClassSpec
  fault: Fault
  /** The edited version changes the outer decorators (`@Reflect.metadata` above `@reloadable()`). */
  outer: boolean
}

const noFieldMetadata = (specs: ClassSpec[]) =>
  specs.map((spec) => ({ ...spec, members: withoutFieldMetadata(spec.members) }))
const cases: fc.Arbitrary<Case> = classList.map(noFieldMetadata).chain((v1) =>
  fc.record({
    v1: fc.constant(v1),
    // The edit itself must not be refused for a layout change before the injected failure happens.
    v2: fc.tuple(
      ...v1.map((_, i) => classSpec(i).map((spec) => ({ ...spec, members: withoutFieldMetadata(spec.members) }))),
    ),
    sub: classSpec(0),
    fault: fc.constantFrom(...FAULTS),
    outer: fc.boolean(),
  }),
)

/** A migration that changes, adds and deletes on the instance and the data nested in it, then throws. */
const MIGRATE = `@reloadable({ migrate(o: any) { o.migrated = 1; o.score = 0; o.nested.list.push(9); o.nested.touched = true; delete o.nested; throw new Error('migrate failed') } })`

/** Module `a` of a case; `fault: 'none'` writes the edit without a failure (for the rollback check). */
function moduleA(c: Omit<Case, 'fault'> & { fault: Fault | 'none' }, version: 1 | 2, id: number): string {
  const specs = version === 1 ? c.v1 : c.v2
  const classes = specs.map((spec, i) => {
    const outer = c.outer && version === 2 ? { ...spec, classMeta: 'above' as const, tag: spec.tag + 1 } : spec
    const decorator = version === 2 && c.fault === 'migrate' && i === 0 ? MIGRATE : '@reloadable()'
    let src = classSource(outer, `C${i}`, spec.base >= 0 ? `C${spec.base}` : undefined, decorator)
    // Every class carries nested data, which a failing migration changes.
    src = src.replace(/(export class C\d+[^{]*\{)/, `$1\n  nested: any = { n: ${i}, list: [1] };`)
    if (version === 2 && i === 0) {
      if (c.fault === 'private')
        src = src.replace(/(export class C0[^{]*\{)/, `$1\n  #secret = 1; peek(): number { return this.#secret };`)
      if (c.fault === 'static-throw')
        src = src.replace(
          /(export class C0[^{]*\{)/,
          `$1\n  static boom = (() => { throw new Error('static initialiser') })();`,
        )
      if (c.fault === 'layout')
        src = src.replace(/(export class C0[^{]*\{)/, `$1\n  @Reflect.metadata('column', 'text') title: string = '';`)
    }
    return src
  })
  const imports = [`import { reloadable } from 'HOTCLASS'`, `import { depValue } from './dep-${id}.ts'`]
  if (version === 2 && c.fault === 'dependency') imports.push(`import { broken } from './dep-${id}-new.ts'`)
  const tail = [`export const fromDep = depValue`]
  if (version === 2 && c.fault === 'dependency') tail.push('void broken')
  if (version === 2 && c.fault === 'throw') tail.push(`throw new Error('after the classes')`)
  if (version === 2 && c.fault === 'syntax') tail.push(`export const broken = (`)
  if (version === 2 && c.fault === 'concurrent') {
    // Wait until the test has imported an unrelated module, then fail.
    tail.push(`await (globalThis as any).hotclassFaultGate; throw new Error('after a concurrent import')`)
  }
  return `${prelude(imports.join('\n'))}${classes.join('\n')}\n${tail.join('\n')}\n`
}

function moduleB(c: Case, id: number, broken: boolean): string {
  return `${prelude(`import { reloadable } from 'HOTCLASS'\nimport { C0 } from './a-${id}.ts'`)}${classSource(c.sub, 'Sub', 'C0', '@reloadable()')}
${broken ? `throw new Error('second module')` : ''}
`
}

/** The coded error each failure must be reported with. */
const EXPECTED_CODE: Record<Fault, string> = {
  throw: ErrorCodes.LOAD_FAILED,
  syntax: ErrorCodes.LOAD_FAILED,
  private: ErrorCodes.PRIVATE_MEMBERS,
  'static-throw': ErrorCodes.LOAD_FAILED,
  migrate: ErrorCodes.MIGRATION_FAILED,
  'second-module': ErrorCodes.LOAD_FAILED,
  dependency: ErrorCodes.LOAD_FAILED,
  layout: ErrorCodes.LAYOUT_CHANGED,
  concurrent: ErrorCodes.LOAD_FAILED,
}

/** What the report's message must name: the failure this run injected, not another one. */
const EXPECTED_MESSAGE: Record<Fault, RegExp> = {
  throw: /after the classes/,
  syntax: /a-\d+\.ts/,
  private: /#secret/,
  'static-throw': /static initialiser/,
  migrate: /migrate failed/,
  'second-module': /second module/,
  dependency: /dependency failed/,
  layout: /title/,
  concurrent: /after a concurrent import/,
}

let run = 0

describe('every failed swap leaves everything byte for byte as it was', () => {
  test('random classes, every kind of failure', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const id = ++run
        // The lazily imported module of a 'concurrent' run is new, not part of the state before.
        const suffixes = [`/a-${id}.ts`, `/b-${id}.ts`, `/dep-${id}.ts`]
        s.write(`dep-${id}.ts`, `export let depValue = 1\n`)
        s.write(`dep-${id}-new.ts`, `export const broken = 1\nthrow new Error('dependency failed')\n`)
        s.write(`a-${id}.ts`, moduleA(c, 1, id))
        s.write(`b-${id}.ts`, moduleB(c, id, false))
        const a = await s.load<Record<string, any>>(`a-${id}.ts`)
        const b = await s.load<Record<string, any>>(`b-${id}.ts`)
        const classes = [...c.v1.map((_, i) => a[`C${i}`]), b['Sub']] as Function[]
        // Tracked instances, with state the game gave them.
        const instances = classes.map((C) => {
          const o = new (C as new () => Record<string, any>)()
          o['score'] = 42
          o['nested'].list.push(2)
          return o
        })
        const w = new StateWriter()
        const before = stateOf(w, classes, instances, suffixes)

        s.write(`a-${id}.ts`, moduleA(c, 2, id))
        let report
        if (c.fault === 'second-module') {
          s.write(`b-${id}.ts`, moduleB(c, id, true))
          report = await swapModules([s.path(`a-${id}.ts`), s.path(`b-${id}.ts`)])
        } else if (c.fault === 'concurrent') {
          let release!: () => void
          ;(globalThis as any).hotclassFaultGate = new Promise<void>((r) => (release = r))
          const swapping = swapModules([s.path(`a-${id}.ts`)])
          let settled = false
          void swapping.then(() => (settled = true))
          s.write(
            `lazy-${id}.ts`,
            `import { reloadable } from 'HOTCLASS'\n@reloadable() export class Lazy { hi(): string { return 'lazy' } }\n`,
          )
          const lazy = await s.load<Record<string, any>>(`lazy-${id}.ts`)
          expect(settled, 'the swap is still evaluating while the unrelated module loads').toBe(false)
          release()
          report = await swapping
          // The unrelated module is not the swap's: its class stays registered and working.
          expect(inspect().classes.some((x) => x.canonical === lazy['Lazy'])).toBe(true)
          expect(new lazy['Lazy']().hi()).toBe('lazy')
        } else {
          report = await swapModules([s.path(`a-${id}.ts`)])
        }
        expect(report.ok, `a ${c.fault} must fail the swap`).toBe(false)
        expect(report.error?.code, report.error?.message).toBe(EXPECTED_CODE[c.fault])
        expect(report.error?.message).toMatch(EXPECTED_MESSAGE[c.fault])
        expectUnchanged(stateOf(w, classes, instances, suffixes), before, `after a failed ${c.fault}`)

        // The next good version still applies.
        s.write(
          `a-${id}.ts`,
          moduleA(c, 1, id).replace('export const fromDep', 'export const again = 1\nexport const fromDep'),
        )
        s.write(`b-${id}.ts`, moduleB(c, id, false))
        const good = await swapModules([s.path(`a-${id}.ts`), s.path(`b-${id}.ts`)])
        expect(good.ok, good.error?.message).toBe(true)

        // Rollback is exact: a good swap to the edited classes, undone, leaves the state before it.
        const wr = new StateWriter()
        const beforeEdit = stateOf(wr, classes, instances, suffixes)
        // limit (README, Limits: "`rollback()` restores classes and function bodies, not plain data exports
        // merged in place"): what a new static block pushed onto a kept registry stays after rollback(), so
        // the edit adds no static block here (a failed swap's blocks are undone, checked above).
        const v2 = c.v2.map((spec, i) => ({ ...spec, block: c.v1[i]!.block }))
        s.write(`a-${id}.ts`, moduleA({ ...c, v2, fault: 'none' }, 2, id))
        const edit = await swapModules([s.path(`a-${id}.ts`)])
        if (edit.ok) {
          const undone = await rollback()
          expect(undone.ok, undone.error?.message).toBe(true)
          expectUnchanged(stateOf(wr, classes, instances, suffixes), beforeEdit, 'after rollback()')
        } else expect(edit.error?.code, edit.error?.message).toBe(ErrorCodes.LAYOUT_CHANGED)
      }),
      propertyOptions(40),
    )
  }, 600_000)
})
