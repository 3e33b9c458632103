/**
 * Saves proposed early: on a tracked file's first fs event the coordinator starts the round (transform,
 * prepare, votes) at once, while the watcher waits for the save to settle, and decides only once it has
 * settled. A save that settled into other text than the one prepared is withdrawn and proposed as it
 * settled. So the settle time (25 ms by default), a wall-clock wait, overlaps the prepare phase instead
 * of coming before it; nothing is committed that the settled save does not hold.
 */
export interface EarlySaves {
  /** An fs event of a tracked file. */
  write(file: string): void
  /** A settled batch of saves. True when an early round takes it (the caller publishes nothing). */
  settled(files: string[]): boolean
  /** Release a round waiting for its save (closing). */
  close(): void
}

export interface EarlyOptions {
  /** Whether a round could start now (none running or queued): an early round never waits in line. */
  idle(): boolean
  /** Start the round of these files; `settled` resolves to the batch, or undefined if none came in time. */
  start(files: string[], settled: Promise<string[] | undefined>): void
  /** How long a round waits for its save to settle before it gives up on it. */
  timeoutMs: number
}

export function createEarlySaves(options: EarlyOptions): EarlySaves {
  /** The files of a Save All whose fs events arrive in the same turn, before the round starts. */
  let writes: Set<string> | undefined
  /** The running early round's hand for its settled batch. */
  let waiting: ((batch: string[] | undefined) => void) | undefined

  const begin = () => {
    const files = [...writes!]
    writes = undefined
    if (waiting || !options.idle()) return
    let settle!: (batch: string[] | undefined) => void
    const settled = new Promise<string[] | undefined>((resolve) => (settle = resolve))
    // fs events that settle into no change (a file written with its own text) bring no batch.
    const timer = setTimeout(() => take(undefined), options.timeoutMs)
    const take = (batch: string[] | undefined) => {
      clearTimeout(timer)
      waiting = undefined
      settle(batch)
    }
    waiting = take
    options.start(files, settled)
  }

  return {
    write(file) {
      if (writes) return void writes.add(file)
      if (waiting || !options.idle()) return
      writes = new Set([file])
      setImmediate(begin)
    },
    settled(files) {
      if (!waiting) return false
      waiting(files)
      return true
    },
    close() {
      waiting?.(undefined)
    },
  }
}
