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
  evaluate: 'function' | 'module'
  pending: readonly PendingModule[]
  problems: readonly ModuleProblem[]
  /** Whether the server has answered this page's hello. */
  connected: boolean
}

/** The page's copy of the server's state, and who is told when it changes. */
export interface ClientStateStore {
  current(): ClientState
  /** Take the server's state; every listener hears of it, and anyone waiting for the next one resumes. */
  replace(message: StateMessage): void
  /** Drop entries the page has just applied, without waiting for the server to confirm. */
  dropPending(applied: ReadonlyArray<{ id: string; t: number }>): void
  subscribe(listener: (state: ClientState) => void): () => void
  /** Resolves at the next state message, or after `timeoutMs` (the server may be gone). */
  nextState(timeoutMs: number): Promise<void>
  /** The latest error Vite itself reported per file (its `vite:error` payload), for failed imports. */
  readonly viteErrors: Map<string, ModuleProblem>
}

/** A store holding the defaults until the server's first state message. */
export function createClientState(): ClientStateStore {
  let state: ClientState = {
    mode: 'probe',
    key: 'F5',
    overlay: true,
    evaluate: 'function',
    pending: [],
    problems: [],
    connected: false,
  }
  const listeners = createListeners<[ClientState]>('state')
  let waiters: Array<() => void> = []
  return {
    current: () => state,
    replace(message) {
      state = {
        mode: message.mode,
        key: message.key,
        overlay: message.overlay,
        evaluate: message.evaluate,
        pending: message.pending,
        problems: message.problems,
        connected: true,
      }
      listeners.emit(state)
      const resume = waiters
      waiters = []
      for (const w of resume) w()
    },
    dropPending(applied) {
      const done = new Map(applied.map((a) => [a.id, a.t]))
      state = { ...state, pending: state.pending.filter((p) => !(done.has(p.id) && p.t <= done.get(p.id)!)) }
      listeners.emit(state)
    },
    subscribe: listeners.add,
    nextState(timeoutMs) {
      return new Promise((resolve) => {
        const timer = setTimeout(resolve, timeoutMs)
        waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    },
    viteErrors: new Map(),
  }
}
