import { afterAll, afterEach, describe, expect, test } from 'vitest'
import { configure, ErrorCodes, inspect, onSwap, rollback } from '../../src/index.ts'
import type { SwapReport } from '../../src/index.ts'
import { scenario } from '../helpers/scenario.ts'

const s = scenario('history')
afterAll(() => s.cleanup())
afterEach(() => void configure({ historyLimit: 20 }))

const gun = (n: number) => `
import { reloadable } from 'HOTCLASS'
@reloadable()
export class Gun { static ammo = ${n}; damage(): number { return ${n} } }`

async function emptyHistory(): Promise<void> {
  while ((await rollback()).ok);
}

describe('history and rollback', () => {
  test('rollback re-applies the versions before the last swap, one step at a time', async () => {
    s.write('gun.ts', gun(1))
    const { Gun } = await s.load<any>('gun.ts')
    const g = new Gun()
    await s.swap('gun.ts', gun(2))
    await s.swap('gun.ts', gun(3))
    expect(g.damage()).toBe(3)
    const first = await rollback()
    expect(first.ok).toBe(true)
    expect(first.kind).toBe('rollback')
    expect(g.damage()).toBe(2)
    expect(Gun.ammo).toBe(2)
    expect((await rollback()).ok).toBe(true)
    expect(g.damage()).toBe(1)
    expect(new Gun().damage()).toBe(1)
  })

  test('rollback with nothing to undo is ok: false with a code', async () => {
    await emptyHistory()
    const report = await rollback()
    expect(report.ok).toBe(false)
    expect(report.error!.code).toBe(ErrorCodes.NOTHING_TO_ROLLBACK)
  })

  test('history is bounded by historyLimit', async () => {
    await emptyHistory()
    configure({ historyLimit: 2 })
    s.write('bounded.ts', gun(10).replace('Gun', 'Bounded'))
    const { Bounded } = await s.load<any>('bounded.ts')
    for (const n of [11, 12, 13, 14]) await s.swap('bounded.ts', gun(n).replace('Gun', 'Bounded'))
    expect(inspect().history).toHaveLength(2)
    expect((await rollback()).ok).toBe(true)
    expect((await rollback()).ok).toBe(true)
    expect(new Bounded().damage()).toBe(12)
    expect((await rollback()).ok).toBe(false)
  })

  test('inspect() shows classes, versions and the last reports; onSwap hears every swap', async () => {
    const heard: SwapReport[] = []
    const off = onSwap((r) => heard.push(r))
    s.write('seen.ts', gun(1).replace('Gun', 'Seen'))
    await s.load('seen.ts')
    await s.swap('seen.ts', gun(2).replace('Gun', 'Seen'))
    off()
    await s.swap('seen.ts', gun(3).replace('Gun', 'Seen'))
    expect(heard).toHaveLength(1)
    const view = inspect()
    const seen = view.classes.find((c) => c.name === 'Seen')!
    expect(seen.version).toBe(3)
    expect(view.lastReport?.classes[0]?.name).toBe('Seen')
    expect(view.swapCount).toBeGreaterThan(0)
  })
})
