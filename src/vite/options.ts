import { errors } from '../core/errors.ts'

/** Options of the hotclass Vite plugin. */
export interface HotclassPluginOptions {
  /**
   * `probe` (default): changes wait until the player presses the probe key (or the game calls
   * `doReload()`), then every pending module is swapped in one transaction. `auto`: swap on save.
   */
  mode: 'probe' | 'auto'
  /** The probe key, as `KeyboardEvent.key` names it. Ctrl/Shift/Meta + the key still reloads the page. */
  key: string
  /** Show broken edits and failed swaps in a small overlay in the page (the console always has them). */
  overlay: boolean
  /**
   * Serve the modules hotclass transforms without their line breaks (the source map keeps devtools and
   * error locations exact). The page keeps every version a swap imports, with 4 bytes per served line;
   * `false` keeps Vite's line layout, for reading raw `Error.stack` positions without a source map.
   */
  compact: boolean
  /**
   * How the page evaluates a swapped version. `function` (default): the dev server offers it rewritten as
   * Vite's module runner rewrites modules and the page runs it with `new AsyncFunction`, so versions the
   * core no longer holds are collected (0.6 KB per swap, bench/browser-memory.mjs). `module`: import each
   * version under a new `?t=` URL, which the page keeps for good (3.9 KB per swap). A page whose Content
   * Security Policy forbids `unsafe-eval` imports modules whatever this says.
   */
  evaluate: 'function' | 'module'
}

const defaults: Readonly<HotclassPluginOptions> = Object.freeze({
  mode: 'probe',
  key: 'F5',
  overlay: true,
  compact: true,
  evaluate: 'function',
})

/** Merge the user's options with the defaults once and freeze them; bad values throw a coded error. */
export function resolveOptions(partial: Partial<HotclassPluginOptions> = {}): Readonly<HotclassPluginOptions> {
  if (typeof partial !== 'object' || partial === null) {
    throw errors.badArgument('hotclass(options)', 'an options object or nothing', partial)
  }
  const merged = { ...defaults, ...partial }
  if (merged.mode !== 'probe' && merged.mode !== 'auto') {
    throw errors.badArgument('hotclass({ mode })', "'probe' or 'auto'", merged.mode)
  }
  if (typeof merged.key !== 'string' || merged.key.length === 0) {
    throw errors.badArgument('hotclass({ key })', "a KeyboardEvent.key name such as 'F5'", merged.key)
  }
  if (typeof merged.overlay !== 'boolean') {
    throw errors.badArgument('hotclass({ overlay })', 'a boolean', merged.overlay)
  }
  if (typeof merged.compact !== 'boolean') {
    throw errors.badArgument('hotclass({ compact })', 'a boolean', merged.compact)
  }
  if (merged.evaluate !== 'function' && merged.evaluate !== 'module') {
    throw errors.badArgument('hotclass({ evaluate })', "'function' or 'module'", merged.evaluate)
  }
  return Object.freeze(merged)
}
