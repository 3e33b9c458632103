/**
 * How many cases a property runs: `npm test` keeps each property to the few it names, `npm run fuzz`
 * sets HOTCLASS_PROPERTY_SCALE (a multiplier) or HOTCLASS_PROPERTY_RUNS (an exact count per property)
 * for the long run. HOTCLASS_PROPERTY_SEED (and _PATH) replay a failure fast-check printed;
 * HOTCLASS_PROPERTY_NO_SHRINK=1 reports the first failure as found.
 */
export function runs(fast: number): number {
  const exact = process.env['HOTCLASS_PROPERTY_RUNS']
  if (exact !== undefined) return Number(exact)
  return Math.max(1, Math.round(fast * Number(process.env['HOTCLASS_PROPERTY_SCALE'] ?? 1)))
}

/** fast-check parameters for a property that runs `fast` cases in `npm test`. */
export function propertyOptions(fast: number): {
  numRuns: number
  seed?: number
  path?: string
  endOnFailure?: boolean
} {
  const env = process.env
  return {
    numRuns: runs(fast),
    ...(env['HOTCLASS_PROPERTY_SEED'] !== undefined && { seed: Number(env['HOTCLASS_PROPERTY_SEED']) }),
    ...(env['HOTCLASS_PROPERTY_PATH'] !== undefined && { path: env['HOTCLASS_PROPERTY_PATH'] }),
    ...(env['HOTCLASS_PROPERTY_NO_SHRINK'] === '1' && { endOnFailure: true }),
  }
}
