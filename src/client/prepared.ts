/**
 * Pending versions imported ahead of the probe key and held at a gate, so that the key costs an
 * evaluation and a commit and nothing else.
 *
 * Measured (bench/browser-demo-latency.mjs, the demo with 300 enemies): with the version fetched and
 * compiled beforehand (`<link rel=modulepreload>`), `import()` at the key still took ~100 ms before the
 * module's first statement ran: the browser looks its imports up in the module map in tasks of their
 * own, and each one waits behind a frame of the game. A module that the server serves with a gate
 * (`await globalThis.__HOTCLASS_GATE__?.(import.meta.url)` ahead of its body) can be imported as soon as
 * it is pending: it is fetched, linked, its imports resolved, and it stops at the gate before running
 * anything. Opening the gate at the key resumes it in microtasks, inside the swap's transaction.
 *
 * The gate is opt-in on both sides: a module with no gate registered for its URL awaits `undefined`,
 * and only modules the server says are gated (`PendingModule.gated`) are imported early, since an early
 * import of an ungated module would apply it before the key. A version superseded by a newer save is
 * never opened: it stays parked, unevaluated.
 */

interface Prepared {
  open(): void
  evaluated: Promise<unknown>
}

const prepared = new Map<string, Prepared>()
const gates = new Map<string, Promise<void>>()

declare global {
  // oxlint-disable-next-line no-underscore-dangle -- the name the served gate calls
  var __HOTCLASS_GATE__: ((url: string) => Promise<void> | undefined) | undefined
}

/** The function gated modules call with their own URL as their first statement. */
export function installGate(): void {
  // oxlint-disable-next-line no-underscore-dangle -- the name the served gate calls
  globalThis.__HOTCLASS_GATE__ = (url) => gates.get(url)
}

/** A promise and the function that resolves it. */
function latch(): { promise: Promise<void>; open: () => void } {
  let open: (() => void) | undefined
  const promise = new Promise<void>((resolve) => {
    open = resolve
  })
  // The executor runs synchronously, so `open` is set by now.
  return { promise, open: open! }
}

/** Import a gated pending version now: it runs up to its gate and waits there for `take()`. */
export function prepare(href: string): void {
  if (prepared.has(href)) return
  const { promise, open } = latch()
  gates.set(href, promise)
  const evaluated = import(/* @vite-ignore */ href)
  // A version that fails to load is reported by the swap that takes it, not before.
  evaluated.catch(() => undefined)
  prepared.set(href, {
    open: () => {
      gates.delete(href)
      open()
    },
    evaluated,
  })
}

/** Open the gate of a prepared version and return its import, or undefined if it was not prepared. */
export function take(href: string): Promise<unknown> | undefined {
  const p = prepared.get(href)
  if (!p) return undefined
  prepared.delete(href)
  p.open()
  return p.evaluated
}
