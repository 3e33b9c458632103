import { Redis } from 'ioredis'
import createDebug from 'debug'
import { fleetErrors } from './errors.ts'
import type { HotclassFleetError } from './errors.ts'
import { isPatch, parseDown, parseUp } from './messages.ts'
import type { DownMessage, Patch, UpMessage } from './messages.ts'
import { open, sign } from './sign.ts'

const debug = createDebug('hotclass:fleet')

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
  publishUp(message: UpMessage): Promise<number>
  /** Listen to one direction. Resolves once subscribed. */
  listen(direction: 'down', handler: (message: DownMessage) => void): Promise<void>
  listen(direction: 'up', handler: (message: UpMessage) => void): Promise<void>
  /**
   * Settle a version once: the first caller's outcome wins, and a commit appends the patch to the log
   * and moves the fleet's version in the same step. Resolves to the outcome that won.
   */
  decide(version: number, outcome: 'commit' | 'abort', patch?: Patch): Promise<'commit' | 'abort'>
  /** The fleet's committed version (0 before the first patch). */
  version(): Promise<number>
  /** The verified patches of the log, oldest first. Entries that fail verification are refused. */
  readLog(): Promise<LogEntry[]>
  /** Heard when the connection is back after Redis went away. */
  onReconnect(listener: () => void): void
  close(): Promise<void>
}

// KEYS: decision, log, version. ARGV: outcome, signed patch, log length, version.
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
return outcome
`

type DecideRedis = Redis & {
  hotclassDecide(
    decision: string,
    log: string,
    version: string,
    outcome: string,
    patch: string,
    length: number,
    v: number,
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
  redis.defineCommand('hotclassDecide', { numberOfKeys: 3, lua: decideScript })
  let subscriber: Redis | undefined
  const reconnects = new Set<() => void>()
  let wasReady = false
  redis.on('error', (error: Error) => debug('redis: %s', error.message))
  redis.on('ready', () => {
    if (wasReady) for (const l of reconnects) l()
    wasReady = true
  })
  const handlers = { down: new Set<(m: DownMessage) => void>(), up: new Set<(m: UpMessage) => void>() }

  const receive = (channel: string, raw: string) => {
    const direction = channel === key('down') ? 'down' : 'up'
    const body = open(options.secret, raw)
    if (body === undefined) return options.onRefused(fleetErrors.badSignature(`a message on ${channel}`), channel)
    if (direction === 'down') {
      const message = parseDown(body, options.fleet)
      if (!message)
        return options.onRefused(fleetErrors.badMessage(`not a coordinator message of "${options.fleet}"`), channel)
      for (const h of handlers.down) h(message)
    } else {
      const message = parseUp(body, options.fleet)
      if (!message)
        return options.onRefused(fleetErrors.badMessage(`not a member message of "${options.fleet}"`), channel)
      for (const h of handlers.up) h(message)
    }
  }

  const bus: Bus = {
    fleet: options.fleet,
    redis,
    key,
    publishDown: (message) => redis.publish(key('down'), sign(options.secret, message)),
    publishUp: (message) => redis.publish(key('up'), sign(options.secret, message)),
    async listen(direction: 'down' | 'up', handler: (message: never) => void) {
      ;(handlers[direction] as Set<unknown>).add(handler)
      if (!subscriber) {
        subscriber = redis.duplicate()
        subscriber.on('error', (error: Error) => debug('redis subscriber: %s', error.message))
        subscriber.on('message', receive)
      }
      await subscriber.subscribe(key(direction))
    },
    async decide(version, outcome, patch) {
      const won = await redis.hotclassDecide(
        key(`decision:${version}`),
        key('log'),
        key('version'),
        outcome,
        patch ? sign(options.secret, patch) : '',
        options.logLength,
        version,
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
    async close() {
      handlers.down.clear()
      handlers.up.clear()
      reconnects.clear()
      subscriber?.disconnect()
      await redis.quit().catch(() => redis.disconnect())
    },
  }
  return bus
}
