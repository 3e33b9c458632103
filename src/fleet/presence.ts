import { hostname } from 'node:os'
import type { Bus } from './bus.ts'
import type { MemberState } from './messages.ts'

/**
 * A member's presence in Redis: a key with its state that lives three heartbeats, and its id in the
 * fleet's member index. The coordinator counts a member as a voter while its key lives (status.ts).
 */
export interface Presence {
  /** Write the state now. */
  beat(): Promise<void>
  /** Beat every `heartbeatMs` from now on. */
  start(): void
  /** Stop beating and remove the key and the index entry. */
  leave(): Promise<void>
}

export function createPresence(
  bus: Bus,
  id: string,
  heartbeatMs: number,
  now: () => Pick<MemberState, 'version' | 'last'>,
): Presence {
  let heartbeat: ReturnType<typeof setInterval> | undefined
  const beat = async () => {
    const state: MemberState = { id, host: hostname(), pid: process.pid, ...now(), since: Date.now() }
    await bus.redis
      .multi()
      .set(bus.key(`member:${id}`), JSON.stringify(state), 'PX', heartbeatMs * 3)
      .sadd(bus.key('members'), id)
      .exec()
  }
  return {
    beat,
    start() {
      heartbeat ??= setInterval(() => void beat().catch(() => undefined), heartbeatMs)
      heartbeat.unref()
    },
    async leave() {
      if (heartbeat) clearInterval(heartbeat)
      await bus.redis
        .multi()
        .del(bus.key(`member:${id}`))
        .srem(bus.key('members'), id)
        .exec()
        .catch(() => undefined)
    },
  }
}
