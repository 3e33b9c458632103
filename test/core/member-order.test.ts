import { afterAll, describe, expect, test } from 'vitest'
import { scenario } from '../helpers/scenario.ts'

/**
 * A swap writes members that stay where they are and deletes only what goes or must move (deleting every
 * member was quadratic in V8 for large classes), so reflection must still list a live prototype's keys
 * as a cold load of the same source does, whatever the edit did to their order.
 */

const s = scenario('member-order')
afterAll(() => s.cleanup())

const source = (name: string, body: string) => `
import { reloadable } from 'HOTCLASS'
const TAG = Symbol.for('member-order.tag')
const SPIN = Symbol.for('member-order.spin')
@reloadable()
export class ${name} { ${body} }`

const versions = [
  'a() { return 1 } b() { return 2 } c() { return 3 } [TAG]() { return 4 } get d() { return 5 }',
  'a() { return 10 } b() { return 20 } c() { return 30 } [TAG]() { return 40 } get d() { return 50 }',
  'a() { return 1 } x() { return 9 } b() { return 2 } c() { return 3 } [SPIN]() { return 7 } [TAG]() { return 4 } get d() { return 5 }',
  'c() { return 3 } a() { return 1 } [TAG]() { return 4 } b() { return 2 } set d(v) {} get d() { return 6 }',
  'a() { return 1 } b() { return 2 }',
  'b() { return 2 } a() { return 1 } [TAG]() { return 4 } 0() { return 0 } e() { return 8 }',
]

describe('prototype keys after swaps', () => {
  test('list in a cold load’s order, with the cold load’s values, after each edit', async () => {
    s.write('live.ts', source('Gear', versions[0]!))
    const { Gear } = await s.load<any>('live.ts')
    const old = new Gear()
    for (const [i, body] of versions.entries()) {
      if (i > 0) {
        const report = await s.swap('live.ts', source('Gear', body))
        expect(report.ok, report.error?.message).toBe(true)
      }
      s.write(`cold${i}.ts`, source(`Cold${i}`, body))
      const cold = (await s.load<any>(`cold${i}.ts`))[`Cold${i}`]
      const keys = (p: object) => Reflect.ownKeys(p).map(String)
      expect(keys(Gear.prototype)).toEqual(keys(cold.prototype))
      const results = (o: any, p: object) =>
        Reflect.ownKeys(p)
          .filter((k) => k !== 'constructor')
          .map((k) => {
            const d = Object.getOwnPropertyDescriptor(p, k)!
            return [String(k), d.enumerable, typeof d.value === 'function' ? d.value.call(o) : [!!d.get, !!d.set]]
          })
      expect(results(old, Gear.prototype)).toEqual(results(new cold(), cold.prototype))
    }
  })
})
