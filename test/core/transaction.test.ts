import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { ErrorCodes, swapModules } from '../../src/index.ts'
import { fingerprint } from '../helpers/fingerprint.ts'
import { scenario } from '../helpers/scenario.ts'
import type { Scenario } from '../helpers/scenario.ts'

const base = (n: number) => `
import { reloadable } from 'HOTCLASS'
@reloadable()
export class Unit {
  static version = ${n}
  hit(): number { return ${n} }
}`
const child = (n: number, extra = '') => `
import { reloadable } from 'HOTCLASS'
import { Unit } from './unit.ts'
@reloadable({ track: true, migrate: (u: any) => { ${extra} } })
export class Archer extends Unit {
  shoot(): number { return ${n} }
}`

describe('a swap is all-or-nothing across every class of every module in it', () => {
  // Each test gets its own folder, so its classes (keyed by module) and instances are its own.
  let s: Scenario
  let Unit: any, Archer: any, archer: any
  let before: unknown[]
  beforeEach(async () => {
    s = scenario('transaction')
    s.write('unit.ts', base(1))
    s.write('archer.ts', child(1))
    ;({ Unit } = await s.load('unit.ts'))
    ;({ Archer } = await s.load('archer.ts'))
    archer = new Archer()
    archer.arrows = 3
    before = [fingerprint(Unit), fingerprint(Archer)]
  })
  afterEach(() => s.cleanup())
  const unchanged = () => {
    expect([fingerprint(Unit), fingerprint(Archer)]).toEqual(before)
    expect(archer.hit()).toBe(1)
    expect(archer.shoot()).toBe(1)
    expect(Object.keys(archer)).toEqual(['arrows'])
  }

  test('a syntax error in the second module leaves both classes as they were, with file and line', async () => {
    s.write('unit.ts', base(2))
    s.write('archer.ts', child(2).replace('return 2', 'return 2 +* 1'))
    const report = await swapModules([s.path('unit.ts'), s.path('archer.ts')])
    expect(report.ok).toBe(false)
    expect(report.error!.code).toBe(ErrorCodes.LOAD_FAILED)
    expect(report.error!.file).toMatch(/archer\.ts$/)
    expect(report.error!.line).toBe(
      child(2)
        .split('\n')
        .findIndex((l) => l.includes('return 2')) + 1,
    )
    unchanged()
  })

  test('a throw in a module body leaves everything as it was, pointing at the line', async () => {
    s.write('unit.ts', base(2))
    s.write('archer.ts', child(2) + '\nthrow new Error("boom in body")\n')
    const report = await swapModules([s.path('unit.ts'), s.path('archer.ts')])
    expect(report.ok).toBe(false)
    expect(report.error!.code).toBe(ErrorCodes.LOAD_FAILED)
    expect(report.error!.message).toContain('boom in body')
    expect(report.error!.file).toMatch(/archer\.ts$/)
    const source = child(2) + '\nthrow new Error("boom in body")\n'
    expect(report.error!.line).toBe(source.split('\n').findIndex((l) => l.startsWith('throw')) + 1)
    unchanged()
  })

  test('a throwing migration restores every class and every tracked instance', async () => {
    s.write('unit.ts', base(2))
    s.write('archer.ts', child(2, `u.arrows = 0; u.quiver = 'new'; throw new Error('bad migration')`))
    const report = await swapModules([s.path('unit.ts'), s.path('archer.ts')])
    expect(report.ok).toBe(false)
    expect(report.error!.code).toBe(ErrorCodes.MIGRATION_FAILED)
    expect(report.error!.message).toContain('bad migration')
    unchanged()
    expect(archer.arrows).toBe(3)
  })

  test('a #private member in the new version is refused with a message that says what to do', async () => {
    s.write('unit.ts', base(2))
    s.write('archer.ts', child(2).replace('shoot(): number {', '#secret = 1\n  shoot(): number {'))
    const report = await swapModules([s.path('unit.ts'), s.path('archer.ts')])
    expect(report.ok).toBe(false)
    expect(report.error!.code).toBe(ErrorCodes.PRIVATE_MEMBERS)
    expect(report.error!.message).toContain('Archer')
    expect(report.error!.message).toContain('#secret')
    expect(report.error!.message).toContain('TypeScript `private`')
    unchanged()
  })

  test('the same modules, fixed, commit together and migrate tracked instances', async () => {
    s.write('unit.ts', base(2))
    s.write('archer.ts', child(2, `u.arrows += 10`))
    const report = await swapModules([s.path('unit.ts'), s.path('archer.ts')])
    expect(report.ok).toBe(true)
    expect(report.classes.map((c) => c.name)).toEqual(['Unit', 'Archer'])
    expect(archer.hit()).toBe(2)
    expect(archer.shoot()).toBe(2)
    expect(archer.arrows).toBe(13)
    expect(Unit.version).toBe(2)
  })
})
