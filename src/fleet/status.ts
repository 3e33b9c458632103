import type { Bus } from './bus.ts'
import { parseMemberState } from './messages.ts'
import type { MemberState } from './messages.ts'

/** Members whose heartbeat key is still alive; ids whose key expired are dropped from the index. */
export async function memberStates(bus: Bus): Promise<MemberState[]> {
  const ids = await bus.redis.smembers(bus.key('members'))
  if (ids.length === 0) return []
  const raw = await bus.redis.mget(...ids.map((id) => bus.key(`member:${id}`)))
  const states: MemberState[] = []
  const gone: string[] = []
  ids.forEach((id, i) => {
    const state = parseMemberState(raw[i] ?? null)
    if (state) states.push(state)
    else gone.push(id)
  })
  if (gone.length > 0) await bus.redis.srem(bus.key('members'), ...gone)
  return states.toSorted((a, b) => a.id.localeCompare(b.id))
}

export async function liveMembers(bus: Bus): Promise<string[]> {
  return (await memberStates(bus)).map((m) => m.id)
}

/** `hotclass fleet status`: the fleet's version, its coordinator, every live member and the log's tail. */
export async function statusText(bus: Bus): Promise<string> {
  const [version, coordinator, members, log] = await Promise.all([
    bus.version(),
    bus.redis.get(bus.key('coordinator')),
    memberStates(bus),
    bus.readLog(),
  ])
  const lines = [
    `fleet ${bus.fleet}: v${version}, coordinator ${coordinator ? coordinator.split(':').slice(0, 2).join(':') : 'none'}`,
    `${members.length} member(s):`,
    ...members.map((m) => `  ${m.id}  v${m.version}${m.version === version ? '' : ' (behind)'}  ${m.last}`),
    `log: ${log.length} patch(es)${log.length > 0 ? `, v${log[0]!.patch.version}..v${log[log.length - 1]!.patch.version}` : ''}`,
    ...log
      .slice(-5)
      .map(({ patch }) =>
        patch.kind === 'rollback'
          ? `  v${patch.version} rollback of v${patch.reverts}`
          : `  v${patch.version} ${patch.order.join(', ')}`,
      ),
  ]
  return lines.join('\n')
}
