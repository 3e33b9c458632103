import { logger } from '../core/env.ts'
import type { ClientMessage, FallbackMessage, ServerMessage } from './protocol.ts'
import type { ClientStateStore } from './state.ts'
import { problemFromViteError } from './vite-errors.ts'
import type { ViteError } from './vite-errors.ts'

const log = logger('client')

/** The events the client listens to: one per server message, checked complete by the compiler. */
const serverEvents = ['hotclass:state', 'hotclass:fallback'] as const satisfies ReadonlyArray<ServerMessage['type']>
type Exhaustive = Exclude<ServerMessage['type'], (typeof serverEvents)[number]> extends never ? true : never
const exhaustive: Exhaustive = true

/** Survives the full reload a fallback causes, so the reason is printed in the reloaded page. */
const NOTICE_KEY = 'hotclass:last-fallback'

/**
 * Connect to the dev server's hotclass channel and say hello: server messages go to `store`. Without
 * HMR the page runs as it is.
 */
export function connect(store: ClientStateStore): void {
  void exhaustive
  const hot = import.meta.hot
  if (!hot) {
    log('no import.meta.hot: the page is not served by a Vite dev server with HMR')
    return
  }
  for (const event of serverEvents) {
    hot.on(event, (data: unknown) => receive({ ...(data as object), type: event } as ServerMessage, store))
  }
  hot.on('vite:error', (payload: { err: ViteError }) => {
    const file = payload.err.loc?.file ?? payload.err.id
    if (file) store.viteErrors.set(file, problemFromViteError(payload.err, file))
  })
  printStashedNotice()
  send({ type: 'hotclass:hello' })
}

/** Send a message to the dev server (nothing happens on a page without HMR). */
export function send(message: ClientMessage): void {
  import.meta.hot?.send(message.type, message)
}

function receive(message: ServerMessage, store: ClientStateStore): void {
  switch (message.type) {
    case 'hotclass:state':
      store.replace(message)
      return
    case 'hotclass:fallback':
      noticeFallback(message)
      return
    default: {
      const unknown: never = message
      log('ignored message %o', unknown)
    }
  }
}

function describeFallback(message: FallbackMessage): string {
  const what = message.action === 'hmr' ? "Vite's HMR applies it" : 'the page reloads'
  return `[hotclass] ${message.id} was not swapped in place (${message.reason}); ${what}`
}

function noticeFallback(message: FallbackMessage): void {
  console.warn(describeFallback(message))
  if (message.action === 'full-reload') {
    try {
      sessionStorage.setItem(NOTICE_KEY, JSON.stringify(message))
    } catch {
      // storage disabled: the warning above is all the page gets
    }
  }
}

function printStashedNotice(): void {
  try {
    const stashed = sessionStorage.getItem(NOTICE_KEY)
    if (!stashed) return
    sessionStorage.removeItem(NOTICE_KEY)
    console.warn(`${describeFallback(JSON.parse(stashed) as FallbackMessage)} (before this reload)`)
  } catch {
    // storage disabled or a foreign value: nothing to print
  }
}
