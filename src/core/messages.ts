/**
 * Every `hotclass:*` message between the dev server (src/vite) and the browser client (src/client):
 * one union, so each side handles it with a `switch` that ends in a `never` check and a new message
 * cannot be forgotten. Types only: the core ships no code for the protocol.
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
export type HotclassMessage = ServerMessage | ClientMessage
export type HotclassEvent = HotclassMessage['type']
