import { afterEach, describe, expect, it } from 'vitest'
import { enemy, fleet } from './harness.ts'
import type { Fleet } from './harness.ts'

// Early rounds (src/fleet/early.ts), with real processes on a real Redis: the coordinator prepares a save
// on its first fs event and decides only once the save has settled. The settle is long here (8 s), so
// the test acts inside it by construction, not by timing: with 4 s, a loaded machine once took longer
// than that to answer the state query made inside it. Each test allows a minute, for the same reason.

let current: Fleet | undefined
afterEach(async () => {
  await current?.cleanup()
  current = undefined
})

async function started() {
  const f = (current = await fleet('early', 1))
  // The settle outlasts the harness's 1.5 s deadline: a round waits for its save longer than for votes.
  const coordinator = f.coordinator(['--settle', '8000'])
  await coordinator.waitFor('err', /serving v0/)
  const member = f.member(0, 'm0')
  await member.waitFor('err', /running src\/server.ts as/)
  return { f, coordinator, member }
}

describe('a save is prepared before it settles, and committed only as it settled', () => {
  it('the early round commits once the save settled, and hears the reports after that', async () => {
    const { f, coordinator, member } = await started()
    f.save('src/enemy.ts', enemy(2))
    await coordinator.waitFor('err', /v1 prepare src\/enemy\.ts/)
    expect(await f.state(member)).toEqual({ speed: 1, hp: 10, name: 'ada' })
    // The reports' deadline counts from the commit, not from the prepare eight seconds before it.
    await coordinator.waitFor('err', /v1 m0: swapped Enemy/)
    expect(await f.state(member)).toEqual({ speed: 2, hp: 10, name: 'ada' })
    expect(member.err.some((l) => /aborted/.test(l))).toBe(false)
  }, 60_000)

  it('a save that settles into other text withdraws the early round and commits the settled text', async () => {
    const { f, coordinator, member } = await started()
    f.save('src/enemy.ts', enemy(2))
    await coordinator.waitFor('err', /v1 prepare src\/enemy\.ts/)
    // Prepared, not committed: the save has not settled yet.
    expect(await f.state(member)).toEqual({ speed: 1, hp: 10, name: 'ada' })
    f.save('src/enemy.ts', enemy(3))

    await coordinator.waitFor('err', /v1 withdrawn: the save settled into other text/)
    await member.waitFor('err', /v1 aborted: the save settled into other text/)
    await coordinator.waitFor('err', /v1 m0: swapped Enemy/)
    expect(await f.state(member)).toEqual({ speed: 3, hp: 10, name: 'ada' })
    // The text of the withdrawn round never ran: one swap, to the settled text.
    expect(member.err.filter((l) => /swapped/.test(l))).toHaveLength(1)
    expect(coordinator.err.some((l) => /aborted on every member/.test(l))).toBe(false)
  }, 60_000)
})
