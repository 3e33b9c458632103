import fc from 'fast-check'
import { afterAll, describe, expect, test } from 'vitest'
import { classInfo } from '../../src/index.ts'
import { propertyOptions } from '../helpers/runs.ts'
import { scenario } from '../helpers/scenario.ts'

/**
 * The patching invariant: random class hierarchies edited by random sequences of versions (methods,
 * accessors, statics, fields, base changes), applied by swapping, behave on instances made before the
 * swaps exactly like a cold load of the final version; instance fields keep the state they had.
 */

const s = scenario('property')
afterAll(() => s.cleanup())

const METHODS = ['a', 'b', 'c'] as const
const ACCESSORS = ['p', 'q'] as const
const STATIC_METHODS = ['s', 't'] as const
const STATIC_DATA = ['K', 'L'] as const
const FIELDS = ['f', 'g'] as const

interface ClassSpec {
  base: number // -1 for a root class, else the index of an earlier class
  methods: Partial<Record<(typeof METHODS)[number], { tag: number; callsSuper: boolean }>>
  accessors: Partial<Record<(typeof ACCESSORS)[number], number>>
  staticMethods: Partial<Record<(typeof STATIC_METHODS)[number], { tag: number; callsSuper: boolean }>>
  staticData: Partial<Record<(typeof STATIC_DATA)[number], number>>
  fields: Partial<Record<(typeof FIELDS)[number], number>>
}
type Version = ClassSpec[]

const some = <K extends string, V>(keys: readonly K[], value: fc.Arbitrary<V>) =>
  fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: keys.length }) as fc.Arbitrary<Partial<Record<K, V>>>
const code = fc.record({ tag: fc.integer({ min: 0, max: 3 }), callsSuper: fc.boolean() })
const classSpec = (index: number): fc.Arbitrary<ClassSpec> =>
  fc.record({
    base: fc.integer({ min: -1, max: index - 1 }),
    methods: some(METHODS, code),
    accessors: some(ACCESSORS, fc.integer({ min: 0, max: 3 })),
    staticMethods: some(STATIC_METHODS, code),
    staticData: some(STATIC_DATA, fc.integer({ min: 0, max: 3 })),
    fields: some(FIELDS, fc.integer({ min: 0, max: 3 })),
  })
const world = fc
  .integer({ min: 1, max: 4 })
  .chain((n) =>
    fc.array(fc.tuple(...Array.from({ length: n }, (_, i) => classSpec(i))), { minLength: 2, maxLength: 5 }),
  )

const call = (kind: string, key: string, tag: number, callsSuper: boolean) =>
  `return '${kind}${key}${tag}'${callsSuper ? ` + '<' + (super.${key} ? super.${key}() : '-') + '>'` : ''}`

function source(version: Version, name: (i: number) => string): string {
  const classes = version.map((c, i) => {
    const body = [
      ...Object.entries(c.fields).map(([k, v]) => `${k} = ${v}`),
      ...Object.entries(c.methods).map(([k, m]) => `${k}() { ${call('m', k, m!.tag, m!.callsSuper)} }`),
      ...Object.entries(c.accessors).map(([k, v]) => `get ${k}() { return 'get${k}${v}' }`),
      ...Object.entries(c.staticMethods).map(([k, m]) => `static ${k}() { ${call('s', k, m!.tag, m!.callsSuper)} }`),
      ...Object.entries(c.staticData).map(([k, v]) => `static ${k} = ${v}`),
    ]
    return `@reloadable() export class ${name(i)}${c.base >= 0 ? ` extends ${name(c.base)}` : ''} {\n  ${body.join('\n  ')}\n}`
  })
  return `import { reloadable } from 'HOTCLASS'\n${classes.join('\n')}\n`
}

function observe(o: any, C: any, all: any[]): unknown {
  return {
    methods: METHODS.map((k) => (typeof o[k] === 'function' ? o[k]() : typeof o[k])),
    accessors: ACCESSORS.map((k) => o[k]),
    statics: STATIC_METHODS.map((k) => (typeof C[k] === 'function' ? C[k]() : typeof C[k])),
    staticData: STATIC_DATA.map((k) => C[k]),
    instanceOf: all.map((D) => o instanceof D),
    constructorIsClass: o.constructor === C,
  }
}

/** Own fields an instance of class `i` got when constructed under `version`: base first, subclass wins. */
function constructedFields(version: Version, i: number): Record<string, number> {
  const chain: number[] = []
  for (let c = i; c >= 0; c = version[c]!.base) chain.unshift(c)
  return Object.assign({}, ...chain.map((c) => version[c]!.fields))
}

let run = 0

describe('swapping behaves like a cold load of the final version', () => {
  test('random hierarchies and edit sequences', async () => {
    await fc.assert(
      fc.asyncProperty(world, async (versions) => {
        const id = ++run
        const file = `prop-${id}.ts`
        const live = (i: number) => `P${id}C${i}`
        s.write(file, source(versions[0]!, live))
        const mod = await s.load<Record<string, any>>(file)
        const classes = versions[0]!.map((_, i) => mod[live(i)])
        const before = classes.map((C) => new C())
        for (const version of versions.slice(1)) {
          const report = await s.swap(file, source(version, live))
          expect(report.ok, report.error?.message).toBe(true)
        }
        const final = versions.at(-1)!
        const coldFile = `prop-${id}-cold.ts`
        s.write(
          coldFile,
          source(final, (i) => `P${id}C${i}cold`),
        )
        const coldMod = await s.load<Record<string, any>>(coldFile)
        const cold = final.map((_, i) => coldMod[`P${id}C${i}cold`])

        classes.forEach((C, i) => {
          const expected = observe(new cold[i](), cold[i], cold)
          expect(observe(before[i], C, classes)).toEqual(expected)
          expect(observe(new C(), C, classes)).toEqual(expected)
          // Fields: what an instance has is state and stays; a field a version adds is given to live
          // instances at that swap with the value the most derived declaration gives (the transform
          // supplies initialisers), appended after the fields they had.
          const had = { ...constructedFields(versions[0]!, i) }
          const order = Object.keys(had)
          if (classInfo(C)?.fields !== undefined) {
            for (const version of versions.slice(1)) {
              for (const [f, v] of Object.entries(constructedFields(version, i))) {
                if (f in had) continue
                had[f] = v
                order.push(f)
              }
            }
          }
          for (const f of FIELDS) expect(before[i][f], `field ${f} of class ${i}`).toBe(had[f])
          expect(
            Object.keys(before[i])
              .filter((k) => (FIELDS as readonly string[]).includes(k))
              .toSorted(),
          ).toEqual(order.toSorted())
          expect({ ...new C() }).toEqual({ ...new cold[i]() })
        })
      }),
      propertyOptions(150),
    )
  }, 120_000)
})
