/**
 * A set of listeners that one event reaches in turn. A listener that throws is logged and the others
 * still hear the event: a HUD's bug must not stop the swap that told it, nor the next listener.
 */
export interface Listeners<Args extends unknown[]> {
  /** Subscribe (a function subscribed twice is called once); returns a function that unsubscribes. */
  add(listener: (...args: Args) => void): () => void
  /** Call every listener with `args`, in subscription order. */
  emit(...args: Args): void
  /** Drop every listener (a closed host). */
  clear(): void
}

/**
 * Fan an event out to listeners; `what` names them in the log line of one that throws.
 * @example
 * const reports = createListeners<[SwapReport]>('onSwap')
 * export const onSwap = reports.add
 * reports.emit(report)
 */
export function createListeners<Args extends unknown[]>(what: string): Listeners<Args> {
  const set = new Set<(...args: Args) => void>()
  return {
    add(listener) {
      set.add(listener)
      return () => void set.delete(listener)
    },
    emit(...args) {
      for (const listener of set) {
        try {
          listener(...args)
        } catch (error) {
          console.error(`[hotclass] a ${what} listener threw:`, error)
        }
      }
    },
    clear() {
      set.clear()
    },
  }
}
