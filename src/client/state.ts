import { createListeners } from '../core/listeners.ts'
import type { ModuleProblem, PendingModule, StateMessage } from './protocol.ts'

/**
 * What this page knows of the dev server's view: the pending modules (in dependency order), the
 * modules that do not transform, and the settings from the plugin. Replaced wholesale by every
 * `hotclass:state` message, so it can never drift from the server's.
 */
export interface ClientState {
  mode: 'probe' | 'auto'
  key: string
  overlay: boolean
  pending: readonly PendingModule[]
  problems: readonly ModuleProblem[]
  /** Whether the server has answered this page's hello. */
  connected: boolean
}

let state: ClientState = { mode: 'probe', key: 'F5', overlay: true, pending: [], problems: [], connected: false }

const listeners = createListeners<[ClientState]>('state')
let waiters: Array<() => void> = []

export function current(): ClientState {
  return state
}

/** Take the server's state; every listener hears of it, and anyone waiting for the next one resumes. */
export function replaceState(message: StateMessage): void {
  state = {
    mode: message.mode,
    key: message.key,
    overlay: message.overlay,
    pending: message.pending,
    problems: message.problems,
    connected: true,
  }
  notify()
  const resume = waiters
  waiters = []
  for (const w of resume) w()
}

/** Drop entries the page has just applied, without waiting for the server to confirm. */
export function dropPending(applied: ReadonlyArray<{ id: string; t: number }>): void {
  const done = new Map(applied.map((a) => [a.id, a.t]))
  state = { ...state, pending: state.pending.filter((p) => !(done.has(p.id) && p.t <= done.get(p.id)!)) }
  notify()
}

export function subscribe(listener: (state: ClientState) => void): () => void {
  return listeners.add(listener)
}

/** Resolves at the next state message, or after `timeoutMs` (the server may be gone). */
export function nextState(timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs)
    waiters.push(() => {
      clearTimeout(timer)
      resolve()
    })
  })
}

function notify(): void {
  listeners.emit(state)
}
