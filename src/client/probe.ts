import type { SwapReport } from '../core/types.ts'
import { clientState, doReload } from './page.ts'

/** Options of `installProbe`. */
export interface ProbeOptions {
  /** The key that swaps (a `KeyboardEvent.key`); defaults to the plugin's `key` option, F5. */
  key?: string
  /** Where to listen; defaults to `window`. */
  target?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>
}

/**
 * An edge detector: `true` once per press, however many frames the key stays down. DST's ProbeReload
 * fires on the press, not while held, so a long press cannot swap twice.
 */
export function createProbe(): (isDown: boolean) => Promise<SwapReport> | undefined {
  let wasDown = false
  return (isDown) => {
    const pressed = isDown && !wasDown
    wasDown = isDown
    return pressed ? doReload() : undefined
  }
}

/**
 * Drive the probe from the game's own input, once per frame: swaps pending changes on the frame the key
 * goes down, never again until it has been released.
 * @example
 * function update() { probeReload(input.isDown('F5')) }
 */
export const probeReload: (isDown: boolean) => Promise<SwapReport> | undefined = createProbe()

/**
 * Make the probe key (F5 by default) swap pending changes instead of reloading the page. With Ctrl,
 * Shift, Alt or Meta held the key is left alone, so Ctrl+F5 / Shift+F5 (and Ctrl+R) still reload.
 * Returns a function that uninstalls the probe.
 * @example
 * installProbe()                   // F5 swaps
 * installProbe({ key: 'F9' })      // F9 swaps, F5 reloads as usual
 */
export function installProbe(options: ProbeOptions = {}): () => void {
  const target = options.target ?? globalThis
  const onKeyDown = (event: Event): void => {
    const e = event as KeyboardEvent
    if (e.key !== (options.key ?? clientState.current().key)) return
    if (e.ctrlKey || e.shiftKey || e.altKey || e.metaKey) return
    // Without this the browser reloads the page, which is what the probe is for avoiding.
    e.preventDefault()
    // Auto-repeat of a held key arrives as more keydowns with `repeat` set: one press, one swap.
    if (!e.repeat) void doReload()
  }
  // Capture phase: the game's own handlers cannot swallow the key before the browser reloads.
  target.addEventListener('keydown', onKeyDown, { capture: true })
  let installed = true
  return () => {
    if (!installed) return
    installed = false
    target.removeEventListener('keydown', onKeyDown, { capture: true })
  }
}
