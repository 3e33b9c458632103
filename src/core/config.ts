import { createListeners } from './listeners.ts'

/** Global options of the core, set by `configure()` and frozen. */
export interface CoreOptions {
  /** How many committed swaps `rollback()` can undo; older versions become collectable. */
  historyLimit: number
  /** How many recent reports `inspect()` keeps. */
  reportLimit: number
}

const defaults: CoreOptions = Object.freeze({ historyLimit: 20, reportLimit: 20 })

let current: Readonly<CoreOptions> = defaults
const changes = createListeners<[Readonly<CoreOptions>]>('configure')

/** The options in force. */
export function options(): Readonly<CoreOptions> {
  return current
}

/** Hear every `configure()` call, with the options it leaves in force (the swap history's limit). */
export const onConfigure: (listener: (options: Readonly<CoreOptions>) => void) => () => void = changes.add

/**
 * Set global options: merged with those in force, then frozen.
 * @example
 * configure({ historyLimit: 50 })
 */
export function configure(partial: Partial<CoreOptions>): Readonly<CoreOptions> {
  current = Object.freeze({ ...current, ...partial })
  changes.emit(current)
  return current
}
