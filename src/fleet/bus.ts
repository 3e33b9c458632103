import { Redis } from 'ioredis'
import { logger } from '../core/env.ts'
import { fleetErrors } from './errors.ts'
import type { HotclassFleetError } from './errors.ts'
import { isPatch, parseDown, parseReply, parseUp } from './messages.ts'
import type { DownMessage, Patch, ReplyMessage, UpMessage } from './messages.ts'
import { open, sign } from './sign.ts'

const debug = logger('fleet')

/**
 * Redis is the fleet's log and mailbox, nothing more: a stream of committed patches (bounded), one
 * decision key per version that the first writer wins (the coordinator's commit or a member's presumed
 * abort, atomically with the log append), two pub/sub channels, and one key per live member.
 */
export interface BusOptions {
  url: string
  fleet: string
  secret: string
  /** The log keeps about this many patches (XADD MAXLEN ~). */
  logLength: number
  /** A bus message that was refused (bad signature, not a fleet message). */
  onRefused(error: HotclassFleetError, where: string): void
  /** Fail commands fast instead of queueing them until Redis is back (one-shot commands). */
  failFast?: boolean
}

export interface LogEntry {
  id: string
  patch: Patch
}

export interface Bus {
  readonly fleet: string
  readonly redis: Redis
  key(name: string): string
  publishDown(message: DownMessage): Promise<number>
  /** Resolves to how many processes heard it: 0 means no coordinator is listening. */
  publishUp(message: UpMessage): Promise<number>
  publishReply(message: ReplyMessage): Promise<number>
  /** Listen to one channel. Resolves once subscribed. */
  listen(direction: 'down', handler: (message: DownMessage) => void): Promise<void>
  listen(direction: 'up', handler: (message: UpMessage) => void): Promise<void>
  listen(direction: 'reply', handler: (message: ReplyMessage) => void): Promise<void>
  /**
   * Settle a round once: the first caller's outcome wins, a commit appends the patch to the log and
   * moves the fleet's version, and the decision that won is published to the members, all in one step
   * (one round trip, and no window in which a decision is taken but unheard). Resolves to the outcome
   * that won. `reason` goes with an abort. `announce: false` publishes nothing (a compensation, which
   * members apply from its own message).
   */
  decide(
    round: { version: number; round: string },
    outcome: 'commit' | 'abort',
    reason: string,
    patch?: Patch,
    announce?: boolean,
  ): Promise<'commit' | 'abort'>
  /** The fleet's committed version (0 before the first patch). */
  version(): Promise<number>
  /** The verified patches of the log, oldest first. Entries that fail verification are refused. */
  readLog(): Promise<LogEntry[]>
  /** Heard when every connection is back (and subscribed again) after Redis went away. */
  onReconnect(listener: () => void): void
  /** Resolves at once while connected; after Redis went away, once every connection is back and subscribed. */
  connected(): Promise<void>
  close(): Promise<void>
}

// KEYS: decision, log, version, down channel. ARGV: outcome, signed patch, log length, version,
// signed commit decision, signed abort decision.
// A commit must follow the fleet's version directly: a stale coordinator cannot append out of order.
const decideScript = `
local current = tonumber(redis.call('GET', KEYS[3]) or '0')
local outcome = ARGV[1]
if outcome == 'commit' and tonumber(ARGV[4]) ~= current + 1 then outcome = 'abort' end
if not redis.call('SET', KEYS[1], outcome, 'NX', 'EX', 86400) then return redis.call('GET', KEYS[1]) end
if outcome == 'commit' then
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'm', ARGV[2])
  redis.call('SET', KEYS[3], ARGV[4])
end
local message = outcome == 'commit' and ARGV[5] or ARGV[6]
if message ~= '' then redis.call('PUBLISH', KEYS[4], message) end
return outcome
`

type DecideRedis = Redis & {
  hotclassDecide(
    decision: string,
    log: string,
    version: string,
    down: string,
    outcome: string,
    patch: string,
    length: number,
    v: number,
    commitMessage: string,
    abortMessage: string,
  ): Promise<string>
}

export function connectBus(options: BusOptions): Bus {
  const prefix = `hotclass:fleet:${options.fleet}:`
  const key = (name: string) => prefix + name
  const redis = new Redis(
    options.url,
    options.failFast
      ? { maxRetriesPerRequest: 1, connectTimeout: 2000, retryStrategy: (times: number) => (times > 2 ? null : 100) }
      : // Queue commands while Redis is away and keep retrying: a restarted Redis is a pause, not an error.
        { maxRetriesPerRequest: null, retryStrategy: (times: number) => Math.min(times * 50, 1000) },
  ) as DecideRedis
  redis.defineCommand('hotclassDecide', { numberOfKeys: 4, lua: decideScript })
  let subscriber: Redis | undefined
  const subscribed = new Set<string>()
  const reconnects = new Set<() => void>()
  /**
   * The connections that went away and are not back yet. The subscriber counts as back only once its
   * channels are subscribed again: ioredis says 'ready' before it resubscribes, and a member that
   * announced itself back then could miss the next prepare.
   */
  const lost = new Set<Redis>()
  let back: { promise: Promise<void>; resolve(): void } | undefined
  const watch = (connection: Redis, name: string) => {
    let wasReady = false
    connection.on('error', (error: Error) => debug('%s: %s', name, error.message))
    connection.on('close', () => {
      if (!wasReady || closing) return
      lost.add(connection)
      if (!back) {
        let resolve!: () => void
        back = { promise: new Promise<void>((r) => (resolve = r)), resolve }
      }
    })
    connection.on('ready', () => {
      if (!wasReady) return void (wasReady = true)
      // A SUBSCRIBE answered after ioredis's own resubscription, on the same connection, means that
      // resubscription is done.
      const resubscribed =
        connection === subscriber && subscribed.size > 0 ? connection.subscribe(...subscribed) : Promise.resolve()
      void resubscribed.then(
        () => {
          if (!lost.delete(connection) || lost.size > 0 || !back) return
          back.resolve()
          back = undefined
          for (const l of reconnects) l()
        },
        (error: unknown) => debug('%s: resubscribing failed: %s', name, String(error)),
      )
    })
  }
  let closing = false
  watch(redis, 'redis')
  const handlers = {
    down: new Set<(m: DownMessage) => void>(),
    up: new Set<(m: UpMessage) => void>(),
    reply: new Set<(m: ReplyMessage) => void>(),
  }
  /** Each channel's parser, and what its messages are said to be when one does not parse. */
  const channels = {
    down: { parse: parseDown, what: 'coordinator message' },
    up: { parse: parseUp, what: 'member message' },
    reply: { parse: parseReply, what: 'coordinator reply' },
  } as const

  const receive = (channel: string, raw: string) => {
    const direction = channel === key('down') ? 'down' : channel === key('up') ? 'up' : 'reply'
    const body = open(options.secret, raw)
    if (body === undefined) return options.onRefused(fleetErrors.badSignature(`a message on ${channel}`), channel)
    const message = channels[direction].parse(body, options.fleet)
    if (!message)
      return options.onRefused(
        fleetErrors.badMessage(`not a ${channels[direction].what} of "${options.fleet}"`),
        channel,
      )
    for (const h of handlers[direction] as Set<(m: typeof message) => void>) h(message)
  }

  const bus: Bus = {
    fleet: options.fleet,
    redis,
    key,
    publishDown: (message) => redis.publish(key('down'), sign(options.secret, message)),
    publishUp: (message) => redis.publish(key('up'), sign(options.secret, message)),
    publishReply: (message) => redis.publish(key('reply'), sign(options.secret, message)),
    async listen(direction: 'down' | 'up' | 'reply', handler: (message: never) => void) {
      ;(handlers[direction] as Set<unknown>).add(handler)
      if (!subscriber) {
        subscriber = redis.duplicate()
        watch(subscriber, 'redis subscriber')
        subscriber.on('message', receive)
      }
      await subscriber.subscribe(key(direction))
      subscribed.add(key(direction))
    },
    async decide({ version, round }, outcome, reason, patch, announce = true) {
      const decision = (o: 'commit' | 'abort') =>
        sign(options.secret, {
          type: 'decision',
          fleet: options.fleet,
          version,
          round,
          outcome: o,
          reason: o === 'commit' ? '' : reason,
        } satisfies DownMessage)
      const won = await redis.hotclassDecide(
        key(`decision:${version}:${round}`),
        key('log'),
        key('version'),
        key('down'),
        outcome,
        patch && outcome === 'commit' ? sign(options.secret, patch) : '',
        options.logLength,
        version,
        announce && outcome === 'commit' ? decision('commit') : '',
        announce ? decision('abort') : '',
      )
      return won === 'commit' ? 'commit' : 'abort'
    },
    async version() {
      return Number((await redis.get(key('version'))) ?? 0)
    },
    async readLog() {
      const entries = await redis.xrange(key('log'), '-', '+')
      const patches: LogEntry[] = []
      for (const [id, fields] of entries) {
        const raw = fields[fields.indexOf('m') + 1] ?? ''
        const body = open(options.secret, raw)
        if (body === undefined) {
          options.onRefused(fleetErrors.badSignature(`log entry ${id}`), 'log')
          continue
        }
        if (!isPatch(body) || body.fleet !== options.fleet) {
          options.onRefused(fleetErrors.badMessage(`log entry ${id} is not a patch of "${options.fleet}"`), 'log')
          continue
        }
        patches.push({ id, patch: body })
      }
      return patches
    },
    onReconnect(listener) {
      reconnects.add(listener)
    },
    connected() {
      return back?.promise ?? Promise.resolve()
    },
    async close() {
      for (const set of Object.values(handlers)) set.clear()
      reconnects.clear()
      closing = true
      subscriber?.disconnect()
      await redis.quit().catch(() => redis.disconnect())
    },
  }
  return bus
}
