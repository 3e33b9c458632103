import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { harness } from './harness.ts'
import type { Harness } from './harness.ts'

let h: Harness
beforeAll(async () => {
  h = await harness('state')
})
afterAll(() => h.close())

const game = (step: number, extra = '') => `
import { reloadable } from 'hotclass'
const enemies: Enemy[] = []
let spawned = 0
${extra}
@reloadable()
export class Enemy {
  hp = 10
  static spawn(): Enemy { const e = new Enemy(); enemies.push(e); spawned += ${step}; return e }
  static count(): number { return spawned }
  static all(): Enemy[] { return enemies }
}
export function spawnedSoFar(): number { return spawned }
`

describe('module-level state: unchanged declarations keep their value across a swap', () => {
  test('a const array and a reassigned let keep their values; new code reads and writes the same cell', async () => {
    h.write('game.ts', game(1))
    const { Enemy, spawnedSoFar } = await h.load('game.ts')
    Enemy.spawn()
    Enemy.spawn()
    const list = Enemy.all()
    const report = await h.swap('game.ts', game(10))
    expect(report.error?.message).toBeUndefined()
    expect(report.ok).toBe(true)
    expect(Enemy.all()).toBe(list)
    expect(Enemy.count()).toBe(2)
    Enemy.spawn()
    expect(Enemy.count()).toBe(12)
    expect(list).toHaveLength(3)
    // The function captured from version 1 reads the cell version 2 wrote.
    expect(spawnedSoFar()).toBe(12)
  })
})
