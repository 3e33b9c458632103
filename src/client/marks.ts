/**
 * Performance marks for the phases of a swap (`hotclass:reload`, `hotclass:import`, `hotclass:imported`,
 * `hotclass:committed`), so the devtools Performance panel and bench/browser-demo-latency.mjs can tell
 * where the time between the key and the new code goes. The client exists only in development.
 *
 * Only the latest mark of each phase is kept: the page's performance timeline keeps user marks for its
 * whole life, and two of them per swap were 0.26 KB of every swap's memory (bench/browser-memory.mjs).
 */
export function mark(phase: string): void {
  const performance = globalThis.performance
  if (typeof performance?.mark !== 'function') return
  const name = `hotclass:${phase}`
  performance.clearMarks?.(name)
  performance.mark(name)
}
