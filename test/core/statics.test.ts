import { afterAll, describe, expect, test } from 'vitest'
import { scenario } from '../helpers/scenario.ts'

const s = scenario('statics')
afterAll(() => s.cleanup())

const spawner = (name: string, opts: string, body: string) => `
import { reloadable } from 'HOTCLASS'
@reloadable(${opts})
export class ${name} { ${body} }`

describe('statics: code replaced, data merged three ways', () => {
  test('unedited declared values keep their runtime value; edited ones win; new added; removed reported', async () => {
    s.write(
      'spawner.ts',
      spawner('Spawner', '', `static count = 0; static MAX = 3; static OLD = 1; static make(): string { return 'v1' }`),
    )
    const { Spawner } = await s.load<any>('spawner.ts')
    Spawner.count = 42
    Spawner.runtimeOnly = 'kept'
    const report = await s.swap(
      'spawner.ts',
      spawner(
        'Spawner',
        '',
        `static count = 0; static MAX = 10; static RATE = 0.5; static make(): string { return 'v2' }`,
      ),
    )
    expect(report.ok).toBe(true)
    expect(Spawner.count).toBe(42)
    expect(Spawner.MAX).toBe(10)
    expect(Spawner.RATE).toBe(0.5)
    expect('OLD' in Spawner).toBe(false)
    expect(Spawner.make()).toBe('v2')
    expect(Spawner.runtimeOnly).toBe('kept')
    const change = report.classes[0]!
    expect(change.added).toContain('static RATE')
    expect(change.removed).toContain('static OLD')
    expect(change.changed.toSorted()).toEqual(['static MAX', 'static make'])
  })

  test('structured declared values compare by content, so an unedited table keeps runtime edits', async () => {
    s.write('table.ts', spawner('LootTable', '', `static drops = { gold: 1, gems: [1, 2] }`))
    const { LootTable } = await s.load<any>('table.ts')
    LootTable.drops.gold = 99
    await s.swap('table.ts', spawner('LootTable', '', `static drops = { gold: 1, gems: [1, 2] }; static extra = 1`))
    expect(LootTable.drops.gold).toBe(99)
    await s.swap('table.ts', spawner('LootTable', '', `static drops = { gold: 5, gems: [1, 2] }`))
    expect(LootTable.drops.gold).toBe(5)
  })

  test("policy 'keep' never overwrites runtime data; 'replace' always does", async () => {
    s.write('keep.ts', spawner('Kept', `{ statics: 'keep' }`, `static level = 1`))
    s.write('replace.ts', spawner('Replaced', `{ statics: 'replace' }`, `static level = 1`))
    const { Kept } = await s.load<any>('keep.ts')
    const { Replaced } = await s.load<any>('replace.ts')
    Kept.level = 5
    Replaced.level = 5
    await s.swap('keep.ts', spawner('Kept', `{ statics: 'keep' }`, `static level = 2`))
    await s.swap('replace.ts', spawner('Replaced', `{ statics: 'replace' }`, `static level = 1`))
    expect(Kept.level).toBe(5)
    expect(Replaced.level).toBe(1)
  })
})
