import { logger } from '../core/env.ts'

const debug = logger('fleet:trace')

/**
 * One line per phase of a round, on the `hotclass:fleet:trace` debug namespace (silent unless
 * `DEBUG=hotclass:fleet:trace`): `trace v3 prepare-heard 1764540000123.4`. The time is the epoch in
 * milliseconds, comparable across the processes of one machine, so `bench/fleet.mjs` can split
 * save → live into its phases without asking any process.
 */
export function trace(version: number, phase: string): void {
  if (debug.enabled) debug('trace v%d %s %s', version, phase, (performance.timeOrigin + performance.now()).toFixed(1))
}
