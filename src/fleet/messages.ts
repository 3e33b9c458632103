/**
 * Every message of a fleet, as one union per direction, and the parsers that turn a verified body into
 * them (or reject it). Code past `parseDown`/`parseUp` trusts these types.
 */

/** One module of a patch: its id relative to the project root, its transformed code and that code's hash. */
export interface PatchModule {
  /** Root-relative path, `src/enemy.ts`: the same on every machine, whatever the checkout's location. */
  id: string
  /** The module as Vite's SSR transform (with the hotclass plugin) left it; null: the member's own checkout. */
  code: string | null
  /** SHA-256 of `code`, hex ('' when code is null). */
  hash: string
  /** The specifiers the code imports, as the transform wrote them; checked while preparing. */
  deps: string[]
}

/** A versioned patch: what the coordinator proposes, and what the log keeps once it committed. */
export interface Patch {
  type: 'patch'
  fleet: string
  version: number
  /**
   * This proposal's own id. An aborted version is proposed again by the next save, so a decision is
   * taken per round, not per version: a late "abort" of an old round never settles a new one.
   */
  round: string
  /** `patch`: a save. `rollback`: undoes `reverts`, its modules holding the code from before it. */
  kind: 'patch' | 'rollback'
  reverts?: number
  modules: PatchModule[]
  /** The module ids to swap, in dependency order (importees first). */
  order: string[]
  /** How long the coordinator may take to decide (votes, and a save settling); members presume abort after twice this. */
  timeoutMs: number
}

/** Coordinator → members. */
export type DownMessage =
  /** Phase one: prepare this patch and vote. */
  | { type: 'prepare'; patch: Patch }
  /** Phase two: the outcome of a version. */
  | { type: 'decision'; fleet: string; version: number; round: string; outcome: 'commit' | 'abort'; reason: string }
  /** An already committed patch to apply now (compensation for a failed commit): no vote. */
  | { type: 'apply'; patch: Patch }

/** What `hotclass fleet <action>` asks the coordinator to do. */
export type RequestAction = 'rollback' | 'apply'

/** Members and the `fleet` command → coordinator. */
export type UpMessage =
  | { type: 'vote'; fleet: string; member: string; round: string; ok: boolean; reason: string }
  | { type: 'report'; fleet: string; member: string; version: number; ok: boolean; line: string }
  | { type: 'request'; fleet: string; action: RequestAction; id: string; from: string }

/**
 * Coordinator → the `fleet` command that sent request `id`: how it ended, in one line. On a channel of
 * its own, so members are not woken for it.
 */
export interface ReplyMessage {
  type: 'reply'
  fleet: string
  id: string
  ok: boolean
  line: string
}

/** What a member publishes about itself (a key with a time to live, refreshed by a heartbeat). */
export interface MemberState {
  id: string
  host: string
  pid: number
  version: number
  /** The last report line, `v3: swapped Enemy (+0 -0 ~1) in 0.4 ms`. */
  last: string
  since: number
}

type Json = Record<string, unknown>

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const isString = (v: unknown): v is string => typeof v === 'string'
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString)

/** `ok` and a text field: what votes, reports and replies all carry. */
const isVerdict = (v: Json, text: string): boolean => typeof v['ok'] === 'boolean' && isString(v[text])

function isPatchModule(v: unknown): v is PatchModule {
  return (
    isObject(v) &&
    isString(v['id']) &&
    (v['code'] === null || isString(v['code'])) &&
    isString(v['hash']) &&
    isStrings(v['deps'])
  )
}

export function isPatch(v: unknown): v is Patch {
  return (
    isObject(v) &&
    v['type'] === 'patch' &&
    isString(v['fleet']) &&
    isCount(v['version']) &&
    isString(v['round']) &&
    (v['kind'] === 'patch' || v['kind'] === 'rollback') &&
    (v['reverts'] === undefined || isCount(v['reverts'])) &&
    Array.isArray(v['modules']) &&
    v['modules'].every(isPatchModule) &&
    isStrings(v['order']) &&
    isCount(v['timeoutMs'])
  )
}

/** A verified body as a coordinator message of this fleet, or undefined. */
export function parseDown(body: unknown, fleet: string): DownMessage | undefined {
  if (!isObject(body)) return undefined
  switch (body['type']) {
    case 'prepare':
    case 'apply':
      return isPatch(body['patch']) && body['patch'].fleet === fleet ? (body as DownMessage) : undefined
    case 'decision':
      return body['fleet'] === fleet &&
        isCount(body['version']) &&
        isString(body['round']) &&
        (body['outcome'] === 'commit' || body['outcome'] === 'abort') &&
        isString(body['reason'])
        ? (body as DownMessage)
        : undefined
    default:
      return undefined
  }
}

/** A verified body as a message to the coordinator of this fleet, or undefined. */
export function parseUp(body: unknown, fleet: string): UpMessage | undefined {
  if (!isObject(body) || body['fleet'] !== fleet) return undefined
  switch (body['type']) {
    case 'vote':
      return isString(body['member']) && isString(body['round']) && isVerdict(body, 'reason')
        ? (body as UpMessage)
        : undefined
    case 'report':
      return isString(body['member']) && isCount(body['version']) && isVerdict(body, 'line')
        ? (body as UpMessage)
        : undefined
    case 'request':
      return (body['action'] === 'rollback' || body['action'] === 'apply') &&
        isString(body['id']) &&
        isString(body['from'])
        ? (body as UpMessage)
        : undefined
    default:
      return undefined
  }
}

/** A verified body as the coordinator's reply to a request of this fleet, or undefined. */
export function parseReply(body: unknown, fleet: string): ReplyMessage | undefined {
  return isObject(body) &&
    body['type'] === 'reply' &&
    body['fleet'] === fleet &&
    isString(body['id']) &&
    isVerdict(body, 'line')
    ? (body as unknown as ReplyMessage)
    : undefined
}

export function parseMemberState(raw: string | null): MemberState | undefined {
  if (raw === null) return undefined
  try {
    const v = JSON.parse(raw) as unknown
    return isObject(v) && isString(v['id']) && isCount(v['version']) ? (v as unknown as MemberState) : undefined
  } catch {
    return undefined
  }
}
