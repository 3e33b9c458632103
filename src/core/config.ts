/** Global options of the core, set once by `configure()` and frozen. */
export interface CoreOptions {
  /** How many committed swaps `rollback()` can undo; older versions become collectable. */
  historyLimit: number
  /** How many recent reports `inspect()` keeps. */
  reportLimit: number
}

const defaults: CoreOptions = Object.freeze({ historyLimit: 20, reportLimit: 20 })

let current: Readonly<CoreOptions> = defaults

export function options(): Readonly<CoreOptions> {
  return current
}

export function mergeOptions(partial: Partial<CoreOptions>): Readonly<CoreOptions> {
  current = Object.freeze({ ...current, ...partial })
  return current
}

export function resetOptions(): void {
  current = defaults
}
