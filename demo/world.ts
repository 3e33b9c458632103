import type { Entity } from './entities/Entity.ts'
import type { Input } from './input.ts'

/**
 * What an entity may ask of the game it lives in. Type-only on purpose: entity modules import nothing
 * with state from here, so swapping an entity module never re-creates the world, the score or the timer.
 */
export interface World {
  /** Game time in seconds since the run started; stops while paused or after game over. */
  readonly time: number
  readonly arena: { readonly width: number; readonly height: number }
  readonly player: PlayerLike
  readonly input: Input
  readonly entities: readonly Entity[]
  /** Add an entity to the world (it appears next frame); returns it for chaining. */
  add<T extends Entity>(entity: T): T
  /** The living hostile entity closest to a point, or undefined. */
  nearestEnemy(x: number, y: number, maxDistance?: number): Entity | undefined
  /** Credit the player with points (a kill). */
  addScore(points: number): void
  /** Seeded random number in [0, 1), so runs with the same `?seed=` look alike. */
  random(): number
  /** Cosmetic burst of particles. */
  burst(x: number, y: number, color: number, count: number): void
}

/** The player, as enemies see it. */
export interface PlayerLike {
  readonly x: number
  readonly y: number
  readonly alive: boolean
}
