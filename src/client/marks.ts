/**
 * Performance marks for the phases of a swap (`hotclass:reload`, `hotclass:import`, `hotclass:imported`,
 * `hotclass:committed`), so the devtools Performance panel and bench/browser-demo-latency.mjs can tell
 * where the time between the key and the new code goes. The client exists only in development.
 */
export function mark(phase: string): void {
  globalThis.performance?.mark?.(`hotclass:${phase}`)
}
