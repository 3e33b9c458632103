/**
 * How many cases a property runs: `npm test` keeps each property to the few it names, `npm run fuzz`
 * sets HOTCLASS_PROPERTY_SCALE (a multiplier) or HOTCLASS_PROPERTY_RUNS (an exact count per property)
 * for the long run. HOTCLASS_PROPERTY_SEED replays a failure fast-check printed.
 */
export function runs(fast: number): number {
  const exact = process.env['HOTCLASS_PROPERTY_RUNS']
  if (exact !== undefined) return Number(exact)
  return Math.max(1, Math.round(fast * Number(process.env['HOTCLASS_PROPERTY_SCALE'] ?? 1)))
}
