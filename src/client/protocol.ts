/**
 * Every `hotclass:*` message between the dev server (src/vite) and the browser client (src/client):
 * one union, so each side handles it with a `switch` that ends in a `never` check and a new message
 * cannot be forgotten. The server imports this file too (src/vite may import src/client, never the
 * reverse); the core knows nothing of the protocol.
 *
 * Vite's HMR socket takes messages from any local process (no Origin, no token), so what a client sends
 * is untrusted: `parseClientMessage` is the one gate between the socket and the server's handlers.
 */

/** A module waiting to be swapped (DST's RequiredFilesForReload entry). */
export interface PendingModule {
  /** The URL the dev server serves it under, e.g. `/demo/entities/Enemy.ts`. */
  url: string
  /** Root-relative id, as reports and the registry name it: `demo/entities/Enemy.ts`. */
  id: string
  /** Vite's HMR timestamp for this version: the client imports `url?t=<t>`, as its importers do. */
  t: number
  /** The file's modification time when the change was seen (ms since the epoch). */
  mtime: number
  /** Changed files that are not swappable themselves and reach the game through this module. */
  via: string[]
  /**
   * Other pending modules this one imports, directly or through other modules: it is applied only with
   * them, so a broken one holds back its importers and nothing else.
   */
  needs: string[]
  /**
   * The server serves this version with a gate ahead of its body (src/client/prepared.ts), so the page
   * may import it before the key: it stops at the gate until the swap opens it.
   */
  gated?: boolean
}

/** A changed module that does not transform (a syntax or type-stripping error). */
export interface ModuleProblem {
  id: string
  message: string
  file: string
  line?: number
  column?: number
  /** The code frame Vite prints, when it has one. */
  frame?: string
}

/** The server's whole view for one page, sent after every change: the client replaces its own with it. */
export interface StateMessage {
  type: 'hotclass:state'
  mode: 'probe' | 'auto'
  /** The probe key (a `KeyboardEvent.key`). */
  key: string
  overlay: boolean
  /** How the page evaluates swapped versions (the plugin's `evaluate`). */
  evaluate: 'function' | 'module'
  /** In dependency order: a module comes after the modules it imports. */
  pending: PendingModule[]
  problems: ModuleProblem[]
}

/** A change hotclass could not swap in place and left to Vite's own HMR (or a full reload). */
export interface FallbackMessage {
  type: 'hotclass:fallback'
  id: string
  reason: string
  /** `hmr`: Vite's propagation found a boundary; `full-reload`: nothing accepts the change. */
  action: 'hmr' | 'full-reload'
}

/** Client -> server, once the client has loaded: start tracking changes for this page. */
export interface HelloMessage {
  type: 'hotclass:hello'
}

/** Client -> server: these versions are live now; forget them unless the file changed again since. */
export interface AppliedMessage {
  type: 'hotclass:applied'
  modules: Array<{ id: string; t: number }>
}

/**
 * Client -> server: these versions were imported by a swap that did not commit, and the browser caches
 * a module per URL, so they need fresh timestamps before they can be evaluated again.
 */
export interface RestampMessage {
  type: 'hotclass:restamp'
  ids: string[]
}

export type ServerMessage = StateMessage | FallbackMessage
export type ClientMessage = HelloMessage | AppliedMessage | RestampMessage

/** The most ids one message may carry: more than any project's pending list, far less than a flood. */
export const MAX_IDS_PER_MESSAGE = 2000
/** Ids are root-relative paths: anything longer is not one. */
const MAX_ID_LENGTH = 1024

export type Parsed = { ok: true; message: ClientMessage } | { ok: false; reason: string }

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const isId = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH

function listOf<T>(value: unknown, item: (v: unknown) => T | undefined, what: string): T[] | string {
  if (!Array.isArray(value)) return `${what} is not an array`
  if (value.length > MAX_IDS_PER_MESSAGE) return `${what} has ${value.length} entries (at most ${MAX_IDS_PER_MESSAGE})`
  const out: T[] = []
  for (const [i, v] of value.entries()) {
    const parsed = item(v)
    if (parsed === undefined) return `${what}[${i}] is malformed`
    out.push(parsed)
  }
  return out
}

/**
 * Check what arrived on the socket for a `hotclass:*` event against the protocol. Never throws: a
 * malformed payload comes back as a reason to log, and the caller drops it.
 * @example
 * const parsed = parseClientMessage('hotclass:restamp', { ids: ['src/Enemy.ts'] })
 * if (parsed.ok) handle(parsed.message)
 */
export function parseClientMessage(event: string, data: unknown): Parsed {
  const type = event as ClientMessage['type']
  switch (type) {
    case 'hotclass:hello':
      // The client sends `{ type }`; older clients sent nothing else either: the payload carries no facts.
      return { ok: true, message: { type } }
    case 'hotclass:applied': {
      if (!isRecord(data)) return { ok: false, reason: 'payload is not an object' }
      const modules = listOf(
        data['modules'],
        (m) =>
          isRecord(m) && isId(m['id']) && typeof m['t'] === 'number' && Number.isFinite(m['t'])
            ? { id: m['id'], t: m['t'] }
            : undefined,
        'modules',
      )
      return typeof modules === 'string' ? { ok: false, reason: modules } : { ok: true, message: { type, modules } }
    }
    case 'hotclass:restamp': {
      if (!isRecord(data)) return { ok: false, reason: 'payload is not an object' }
      const ids = listOf(data['ids'], (v) => (isId(v) ? v : undefined), 'ids')
      return typeof ids === 'string' ? { ok: false, reason: ids } : { ok: true, message: { type, ids } }
    }
    default: {
      const unknown: never = type
      return { ok: false, reason: `unknown event ${JSON.stringify(String(unknown)).slice(0, 80)}` }
    }
  }
}
