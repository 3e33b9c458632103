import { afterEach, describe, expect, it } from 'vitest'
import { enemy, fleet, player } from './harness.ts'
import type { Fleet } from './harness.ts'

// Probe mode for the fleet, with real processes on a real Redis (as fleet.test.ts): the coordinator
// queues saves and publishes them as one patch when asked, by `hotclass fleet apply` or Enter.

let current: Fleet | undefined
afterEach(async () => {
  await current?.cleanup()
  current = undefined
})

async function started(label: string, members: number, serve: string[] = []) {
  const f = (current = await fleet(label, members))
  const coordinator = f.coordinator(serve)
  await coordinator.waitFor('err', /serving v0/)
  const list = Array.from({ length: members }, (_, i) => f.member(i, `m${i}`))
  await Promise.all(list.map((m) => m.waitFor('err', /running src\/server.ts as/)))
  return { f, coordinator, members: list }
}

/**
 * `hotclass fleet <command>` run to its end. Its own deadline is a minute, past the test's timeout: a
 * command that waited for an answer instead of giving one at once fails the test.
 */
async function command(f: Fleet, name: 'apply' | 'rollback') {
  const cli = f.cli(['fleet', name, '--redis', f.redis.url, '--name', f.name, '--deadline', '60000'], f.coordinatorRoot)
  const { code } = await cli.exited
  return { code, out: cli.out.join('\n'), err: cli.err.join('\n') }
}

describe('fleet serve --probe queues saves until they are applied', () => {
  it('saves wait; `fleet apply` publishes them as one patch and prints the decision', async () => {
    const { f, coordinator, members } = await started('probe-apply', 2, ['--probe'])
    f.save('src/enemy.ts', enemy(2))
    await coordinator.waitFor('err', /1 change pending \(src\/enemy\.ts\)/)
    f.save('src/player.ts', player('bob'))
    await coordinator.waitFor('err', /2 changes pending \(src\/enemy\.ts, src\/player\.ts\)/)
    // Still queued: nothing was proposed, every member runs the code it started with.
    expect(coordinator.err.some((l) => /prepare/.test(l))).toBe(false)
    for (const m of members) expect(await f.state(m)).toEqual({ speed: 1, hp: 10, name: 'ada' })

    const applied = await command(f, 'apply')
    expect(applied).toMatchObject({ code: 0, out: 'v1 committed on every member' })
    expect(coordinator.err.filter((l) => /v\d prepare/.test(l))).toEqual([
      expect.stringMatching(/v1 prepare src\/(enemy|player)\.ts, src\/(player|enemy)\.ts/),
    ])
    for (const m of members) expect(await f.state(m)).toEqual({ speed: 2, hp: 10, name: 'bob' })

    // The queue is empty now: the next apply says so at once and fails.
    const again = await command(f, 'apply')
    expect(again).toMatchObject({ code: 1, out: 'nothing pending: no save since the last patch' })
  })

  it('Enter on the coordinator applies the queue', async () => {
    const { f, coordinator, members } = await started('probe-enter', 1, ['--probe'])
    f.save('src/enemy.ts', enemy(3))
    await coordinator.waitFor('err', /1 change pending/)
    coordinator.child.stdin!.write('\n')
    await coordinator.waitFor('err', /v1 m0: swapped Enemy/)
    expect(await f.state(members[0]!)).toEqual({ speed: 3, hp: 10, name: 'ada' })
  })

  it('an aborted apply stays queued and is proposed again by the next apply', async () => {
    const { f, coordinator, members } = await started('probe-abort', 1, ['--probe'])
    f.save('src/enemy.ts', enemy(2, "import { missing } from './missing.ts'\nvoid missing"))
    await coordinator.waitFor('err', /1 change pending/)
    f.save('src/missing.ts', 'export const missing = 1\n') // only the coordinator has it: m0 cannot prepare
    const aborted = await command(f, 'apply')
    expect(aborted.code).toBe(1)
    expect(aborted.out).toMatch(/^v1 aborted: m0 cannot prepare: .*missing\.ts/)
    f.save('src/enemy.ts', enemy(4))
    await coordinator.waitFor('err', /1 change pending \(src\/enemy\.ts\)/, { from: coordinator.err.length })
    expect(await command(f, 'apply')).toMatchObject({ code: 0, out: 'v1 committed on every member' })
    expect(await f.state(members[0]!)).toEqual({ speed: 4, hp: 10, name: 'ada' })
  })
})

describe('a request with nothing to do is answered at once', () => {
  it('fleet rollback before any patch, and fleet apply of a coordinator that publishes on save', async () => {
    const { f, coordinator } = await started('nothing', 1)
    expect(await command(f, 'rollback')).toMatchObject({
      code: 1,
      out: 'nothing to roll back: no patch since the fleet started is left to undo',
    })
    expect(await command(f, 'apply')).toMatchObject({
      code: 1,
      out: expect.stringMatching(/^nothing pending: this coordinator publishes every save/),
    })
    expect(coordinator.err.some((l) => /rollback requested by/.test(l))).toBe(true)
  })

  it('fleet apply with no coordinator fails with a coded error', async () => {
    const f = (current = await fleet('no-coordinator', 0))
    const result = await command(f, 'apply')
    expect(result.code).toBe(1)
    expect(result.err).toMatch(/No coordinator serves the fleet .*HOTCLASS_FLEET_NO_COORDINATOR/)
  })

  it('a fleet command whose Redis is gone fails with a coded error', async () => {
    const f = (current = await fleet('no-redis', 0))
    await f.redis.stop()
    const result = await command(f, 'apply')
    expect(result.code).toBe(1)
    expect(result.err).toMatch(/Redis at .* failed: it cannot be reached \(HOTCLASS_FLEET_REDIS_FAILED\)/)
    expect(result.err).toMatch(/hint: Check that redis-server runs there/)
  })
})
