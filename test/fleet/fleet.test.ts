import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { afterEach, describe, expect, it } from 'vitest'
import { sign } from '../../src/fleet/sign.ts'
import { enemy, fleet, player } from './harness.ts'
import type { Fleet } from './harness.ts'

// Real processes on a real Redis: a coordinator and members started with the `hotclass` CLI, each member
// from its own copy of the project (another machine's checkout), so edits reach it only through patches.

let current: Fleet | undefined
afterEach(async () => {
  await current?.cleanup()
  current = undefined
})

async function started(
  label: string,
  members: number,
  prepare?: (f: Fleet) => void,
  env: Record<number, Record<string, string>> = {},
) {
  const f = (current = await fleet(label, members))
  prepare?.(f)
  const coordinator = f.coordinator()
  await coordinator.waitFor('err', /serving v0/)
  const list = Array.from({ length: members }, (_, i) => f.member(i, `m${i}`, env[i]))
  await Promise.all(list.map((m) => m.waitFor('err', /running src\/server.ts as/)))
  return { f, coordinator, members: list }
}

const speeds = (f: Fleet, members: Array<Parameters<Fleet['state']>[0]>) =>
  Promise.all(members.map(async (m) => (await f.state(m)).speed))

describe('a save swaps every member', () => {
  it('members on other checkouts run the coordinator’s edit, with their objects kept', async () => {
    const { f, coordinator, members } = await started('save', 2)
    f.save('src/enemy.ts', enemy(2))
    await coordinator.waitFor('err', /v1 committed/)
    await coordinator.waitFor('err', /v1 m1: swapped Enemy/)
    for (const m of members) expect(await f.state(m)).toEqual({ speed: 2, hp: 10, name: 'ada' })
  })

  it('two saves in quick succession are applied in order, none lost', async () => {
    const { f, coordinator, members } = await started('quick', 2)
    f.save('src/enemy.ts', enemy(2))
    f.save('src/player.ts', player('bob'))
    f.save('src/enemy.ts', enemy(3))
    await coordinator.waitFor('err', /m1: .*Enemy/)
    const check = async () =>
      (await Promise.all(members.map((m) => f.state(m)))).every((s) => s.speed === 3 && s.name === 'bob')
    // The saves land in one patch or in several: wait for the next commit until every member runs the
    // last text. The line count is taken before asking the members, so a commit printed while they
    // answer is not missed.
    for (;;) {
      const from = coordinator.err.length
      if (await check()) break
      await coordinator.waitFor('err', /committed/, { from })
    }
    for (const m of members) expect(await f.state(m)).toEqual({ speed: 3, hp: 10, name: 'bob' })
    expect(coordinator.err.some((l) => /aborted/.test(l))).toBe(false)
    for (const m of members) {
      const versions = m.err.flatMap((l) => /^\[hotclass\] v(\d+): swapped/.exec(l)?.[1] ?? []).map(Number)
      expect(versions).toEqual(versions.toSorted((a, b) => a - b))
    }
  })

  it('fleet rollback undoes the last patch on every member', async () => {
    const { f, coordinator, members } = await started('rollback', 2)
    f.save('src/enemy.ts', enemy(2))
    await coordinator.waitFor('err', /v1 m1: swapped/)
    const cli = f.cli(['fleet', 'rollback', '--redis', f.redis.url, '--name', f.name], f.coordinatorRoot)
    await cli.waitFor('out', /v2 rolled back on every member/)
    await coordinator.waitFor('err', /v2 m1: rolled back/)
    expect(await speeds(f, members)).toEqual([1, 1])
    const status = f.cli(['fleet', 'status', '--redis', f.redis.url, '--name', f.name], f.coordinatorRoot)
    await status.exited
    expect(status.out.join('\n')).toMatch(/fleet .*: v2/)
    expect(status.out.join('\n')).toMatch(/m0 {2}v2 {2}v2: rolled back/)
  })
})

describe('all or nothing', () => {
  it('a member that fails to prepare aborts the patch for every member', async () => {
    const { f, coordinator, members } = await started('prepare', 2, (project) =>
      rmSync(join(project.memberRoot(1), 'src/extra.ts')),
    )
    f.save('src/enemy.ts', enemy(2, "import { extra } from './extra.ts'\nvoid extra"))
    await coordinator.waitFor(
      'err',
      /v1 aborted on every member: m1 cannot prepare: .*extra\.ts.*HOTCLASS_FLEET_PREPARE_FAILED/,
    )
    await members[0]!.waitFor('err', /v1 aborted/)
    expect(await speeds(f, members)).toEqual([1, 1])
    // The aborted version is free again: the next save that every member can prepare commits as v1.
    f.save('src/enemy.ts', enemy(3))
    await coordinator.waitFor('err', /v1 m1: swapped Enemy/)
    expect(await speeds(f, members)).toEqual([3, 3])
  })

  it('a commit that fails on one member is rolled back on the others', async () => {
    const { f, coordinator, members } = await started('compensate', 2, undefined, { 1: { FAIL_HERE: '1' } })
    f.save('src/enemy.ts', enemy(2, "if (process.env['FAIL_HERE']) throw new Error('this machine refuses v2')"))
    await coordinator.waitFor('err', /v1 failed on m1: rolling every member back \(v2\)/)
    await coordinator.waitFor('err', /v2 m0: rolled back/)
    expect(await speeds(f, members)).toEqual([1, 1])
  })

  it('a member that dies mid-prepare aborts the patch after the deadline', async () => {
    const { f, coordinator, members } = await started('dies', 2)
    members[1]!.child.kill('SIGSTOP') // frozen: it cannot vote, as if it died
    f.save('src/enemy.ts', enemy(2))
    await coordinator.waitFor('err', /v1 aborted on every member: m1 did not vote within 1500 ms/)
    members[1]!.kill()
    await members[0]!.waitFor('err', /v1 aborted/)
    expect(await speeds(f, [members[0]!])).toEqual([1])
  })

  it('the coordinator killed between prepare and commit leaves every member on the old version', async () => {
    const { f, coordinator, members } = await started('coordinator', 2)
    members[1]!.child.kill('SIGSTOP') // the coordinator now waits for m1's vote
    f.save('src/enemy.ts', enemy(2))
    await coordinator.waitFor('err', /v1 prepare/) // logged once the prepare is published
    coordinator.kill()
    await coordinator.exited
    members[1]!.child.kill('SIGCONT')
    // Both presume abort once twice the deadline passed: the first to settle the version in Redis wins.
    await Promise.all(members.map((m) => m.waitFor('err', /v1 aborted: no decision before the deadline/)))
    expect(await speeds(f, members)).toEqual([1, 1])
  })

  it('a member killed after a commit catches up when it restarts, before it serves', async () => {
    const { f, coordinator, members } = await started('restart', 2)
    f.save('src/enemy.ts', enemy(2))
    await coordinator.waitFor('err', /v1 m1: swapped/)
    members[1]!.kill()
    await members[1]!.exited
    const again = f.member(1, 'm1')
    await again.waitFor('err', /caught up with the fleet at v1/)
    await again.waitFor('err', /running src\/server.ts as m1 .* at v1/)
    expect(await f.state(again)).toEqual({ speed: 2, hp: 10, name: 'ada' })
  })
})

describe('the bus', () => {
  it('members reconnect after Redis restarts while idle, and nothing is lost', async () => {
    const { f, coordinator, members } = await started('redis', 2)
    f.save('src/enemy.ts', enemy(2))
    await coordinator.waitFor('err', /v1 m1: swapped/)
    await f.redis.restart()
    await Promise.all(members.map((m) => m.waitFor('err', /reconnected to Redis/)))
    f.save('src/enemy.ts', enemy(3))
    await coordinator.waitFor('err', /v2 m1: swapped/)
    await coordinator.waitFor('err', /v2 m0: swapped/)
    expect(await speeds(f, members)).toEqual([3, 3])
    const late = f.member(0, 'late')
    await late.waitFor('err', /caught up with the fleet at v2/)
    expect(await f.state(late)).toEqual({ speed: 3, hp: 10, name: 'ada' })
  })

  it('a forged patch is refused by every member, live or catching up', async () => {
    const { f, members } = await started('forged', 2)
    const redis = new Redis(f.redis.url)
    try {
      const patch = {
        type: 'patch',
        fleet: f.name,
        version: 1,
        kind: 'patch',
        modules: [{ id: 'src/enemy.ts', code: 'globalThis.pwned = 1', hash: '', deps: [] }],
        order: ['src/enemy.ts'],
        timeoutMs: 1000,
      }
      const down = `hotclass:fleet:${f.name}:down`
      await redis.publish(down, JSON.stringify({ type: 'prepare', patch })) // unsigned
      await redis.publish(down, sign('not-the-secret', { type: 'prepare', patch })) // another secret
      await redis.xadd(`hotclass:fleet:${f.name}:log`, '*', 'm', sign('not-the-secret', patch))
      for (const m of members) {
        await m.waitFor('err', /Refused a message on .*down: it is unsigned .*HOTCLASS_FLEET_BAD_SIGNATURE/)
        await m.waitFor('err', /Refused a message on .*down.*HOTCLASS_FLEET_BAD_SIGNATURE/, {
          from: m.err.findIndex((l) => /Refused/.test(l)) + 1,
        })
      }
      const late = f.member(0, 'late')
      await late.waitFor('err', /Refused log entry .*HOTCLASS_FLEET_BAD_SIGNATURE/)
      await late.waitFor('err', /running src\/server.ts as late/)
      expect(await speeds(f, [...members, late])).toEqual([1, 1, 1])
    } finally {
      redis.disconnect()
    }
  })
})
