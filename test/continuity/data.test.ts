import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { mergeData } from '../../src/core/continuity/data.ts'
import { cloneData } from '../../src/core/members.ts'
import { harness } from './harness.ts'
import type { Harness } from './harness.ts'

let h: Harness
beforeAll(async () => {
  h = await harness('data')
})
afterAll(() => h.close())

const tuningModule = (body: string) => `export const tuning = ${body}\nexport default [1, { deep: true }]`

describe('exported plain data is updated in place, recursively, keeping identity', () => {
  test('edited keys take the new value, unedited keys keep run-time changes, removed keys go', async () => {
    h.write(
      'tuning.ts',
      tuningModule(`{ speed: 3, stats: { kills: 0, deaths: 0 }, waves: [{ n: 1 }, { n: 2 }], old: 1 }`),
    )
    const mod = await h.load('tuning.ts')
    const { tuning } = mod
    const stats = tuning.stats
    const firstWave = tuning.waves[0]
    const list = mod.default
    stats.kills = 12
    tuning.runtimeOnly = 'kept'
    const report = await h.swap(
      'tuning.ts',
      `export const tuning = { speed: 5, stats: { kills: 0, deaths: 0, streak: 0 }, waves: [{ n: 10 }, { n: 2 }, { n: 3 }] }\nexport default [2, { deep: false }]`,
    )
    expect(report.ok).toBe(true)
    expect(mod.tuning).toBe(tuning)
    expect(tuning.stats).toBe(stats)
    expect(tuning.waves[0]).toBe(firstWave)
    expect(tuning).toEqual({
      speed: 5,
      stats: { kills: 12, deaths: 0, streak: 0 },
      waves: [{ n: 10 }, { n: 2 }, { n: 3 }],
      runtimeOnly: 'kept',
    })
    expect(mod.default).toBe(list)
    expect(list).toEqual([2, { deep: false }])
  })

  test('a value that is not plain data is replaced, and an unchanged declaration keeps everything', async () => {
    h.write('maps.ts', `export const table = new Map([[1, 'a']])\nexport const flags = { on: true }`)
    const mod = await h.load('maps.ts')
    const { table, flags } = mod
    flags.on = false
    await h.swap('maps.ts', `export const table = new Map([[2, 'b']])\nexport const flags = { on: true }`)
    expect(mod.table).not.toBe(table)
    expect([...mod.table.keys()]).toEqual([2])
    expect(mod.flags).toBe(flags)
    expect(flags.on).toBe(false)
  })
})

/** Plain data trees: what a declaration can spell out. */
const tree = fc.letrec((tie) => ({
  leaf: fc.oneof(fc.integer(), fc.string({ maxLength: 3 }), fc.boolean(), fc.constant(null)),
  node: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('array'), tie('object')),
  array: fc.array(tie('node'), { maxLength: 4 }),
  object: fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), tie('node'), { maxKeys: 4 }),
})).object

/** Every plain object reached by a path in both trees, where both sides have the same kind. */
const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null

function sharedPaths(a: unknown, b: unknown, path: string[] = [], out: string[][] = []): string[][] {
  if (!isObject(a) || !isObject(b) || Array.isArray(a) !== Array.isArray(b)) return out
  out.push(path)
  for (const key of Object.keys(b as object)) {
    sharedPaths((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], [...path, key], out)
  }
  return out
}

const at = (v: unknown, path: string[]) => path.reduce((o, k) => (o as Record<string, unknown>)[k], v)

describe('property: random data trees updated in place keep identity and equal the new value', () => {
  test('merging v2 into a live copy of v1 (no run-time edits) gives v2, with every shared object kept', () => {
    fc.assert(
      fc.property(tree, tree, (v1, v2) => {
        const live = cloneData(v1) as object
        const before = sharedPaths(live, v2).map((p) => [p, at(live, p)] as const)
        mergeData(live, v1, v2)
        expect(live).toEqual(v2)
        for (const [path, obj] of before) expect(at(live, path)).toBe(obj)
      }),
      { numRuns: 300 },
    )
  })

  test('a failed swap undoes the merge exactly', () => {
    fc.assert(
      fc.property(tree, tree, (v1, v2) => {
        const live = cloneData(v1) as object
        const snapshot = structuredClone(live)
        const undo: Array<() => void> = []
        mergeData(live, v1, v2, undo)
        for (const u of undo.toReversed()) u()
        expect(live).toEqual(snapshot)
      }),
      { numRuns: 300 },
    )
  })
})
