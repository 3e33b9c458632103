/** The demo server's tunables, read from config.json and updated live when that file is saved. */
export interface ServerConfig {
  /** Simulation steps per second. */
  tickRate: number
  rooms: number
  botsPerRoom: number
  arena: { width: number; height: number }
  /** Pixels per second. */
  playerSpeed: number
  coinsPerRoom: number
  coinValue: number
  /** How often the status line is printed. */
  statusEverySeconds: number
}

function positive(raw: Record<string, unknown>, key: string): number {
  const value = raw[key]
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new Error(`${key} must be a positive number, got ${JSON.stringify(value)}`)
  }
  return value
}

/** Refuse a config the simulation cannot run with; the server keeps the old values and says why. */
export function validateConfig(raw: unknown): ServerConfig {
  if (typeof raw !== 'object' || raw === null) throw new Error('the config must be an object')
  const r = raw as Record<string, unknown>
  const arena = (r['arena'] ?? {}) as Record<string, unknown>
  const tickRate = positive(r, 'tickRate')
  if (tickRate > 240) throw new Error(`tickRate above 240 would starve the event loop, got ${tickRate}`)
  return {
    tickRate,
    rooms: Math.round(positive(r, 'rooms')),
    botsPerRoom: Math.round(positive(r, 'botsPerRoom')),
    arena: { width: positive(arena, 'width'), height: positive(arena, 'height') },
    playerSpeed: positive(r, 'playerSpeed'),
    coinsPerRoom: Math.round(positive(r, 'coinsPerRoom')),
    coinValue: positive(r, 'coinValue'),
    statusEverySeconds: positive(r, 'statusEverySeconds'),
  }
}
