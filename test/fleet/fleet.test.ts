import { afterEach, describe, expect, it } from 'vitest'
import { enemy, fleet } from './harness.ts'
import type { Fleet } from './harness.ts'

let current: Fleet | undefined
afterEach(async () => {
  await current?.cleanup()
  current = undefined
})

async function started(label: string, members: number) {
  const f = (current = await fleet(label, members))
  const coordinator = f.coordinator()
  await coordinator.waitFor('err', /serving v0/)
  const list = Array.from({ length: members }, (_, i) => f.member(i, `m${i}`))
  await Promise.all(list.map((m) => m.waitFor('out', /^ready$/)))
  await Promise.all(list.map((m) => m.waitFor('err', /running src\/server.ts as/)))
  return { f, coordinator, members: list }
}

describe('a save swaps every member', () => {
  it('members on other checkouts run the coordinator’s edit, with their objects kept', async () => {
    const { f, coordinator, members } = await started('save', 2)
    f.save('src/enemy.ts', enemy(2))
    await coordinator.waitFor('err', /v1 committed/)
    await coordinator.waitFor('err', /v1 m1: /)
    for (const m of members) expect(await f.state(m)).toEqual({ speed: 2, hp: 10, name: 'ada' })
  })
})
