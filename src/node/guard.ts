interface Seen {
  at: number
  repeats: number
}

/** How long the same error stays quiet after it was printed: a 60 Hz tick must not flood the terminal. */
const QUIET_MS = 2000

function describe(error: unknown): { key: string; text: string } {
  if (!(error instanceof Error)) return { key: String(error), text: String(error) }
  const head = `${error.name}: ${error.message.split('\n')[0]}`
  // The top frames are enough to find the line; the runner's frames below them are noise.
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((l) => /^\s+at /.test(l))
    .slice(0, 3)
  return { key: `${head}\n${frames[0] ?? ''}`, text: [head, ...frames].join('\n') }
}

/**
 * Keep the program running when its code throws outside any swap: a swapped-in method that throws
 * from a timer would otherwise end the server, and with it the state the edit was meant to keep.
 * The same error is printed once per couple of seconds, with a count of the repeats in between.
 * Returns a function that removes the guard.
 */
export function guardUncaught(log: (line: string) => void): () => void {
  const recent = new Map<string, Seen>()
  const handler = (error: unknown): void => {
    const { key, text } = describe(error)
    const now = Date.now()
    const seen = recent.get(key)
    if (seen && now - seen.at < QUIET_MS) {
      seen.repeats++
      return
    }
    if (recent.size > 100) recent.clear()
    const repeats = seen?.repeats ? ` (${seen.repeats} more since the last report)` : ''
    recent.set(key, { at: now, repeats: 0 })
    log(`uncaught error${repeats}; the program keeps running, fix the code and save:\n${text}`)
  }
  process.on('uncaughtException', handler)
  process.on('unhandledRejection', handler)
  return () => {
    process.off('uncaughtException', handler)
    process.off('unhandledRejection', handler)
  }
}
