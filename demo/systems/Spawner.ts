import { reloadable } from 'hotclass'
import { Boss } from '../entities/Boss.ts'
import { Enemy } from '../entities/Enemy.ts'
import type { World } from '../world.ts'

/**
 * Brings enemies in from the edges: the crowd grows with time, and a boss arrives every `bossEvery`
 * seconds. With a fixed `crowd` (`?enemies=300`) it keeps that many alive instead, for stress tests.
 */
@reloadable()
export class Spawner {
  /** Seconds until the next regular spawn. */
  wait = 0
  /** Game time at which the next boss appears. */
  nextBoss: number

  constructor(readonly crowd?: number) {
    this.nextBoss = this.bossEvery
  }

  get bossEvery(): number {
    return 40
  }

  /** How many enemies the arena holds at `time` seconds in. */
  target(time: number): number {
    return this.crowd ?? Math.min(160, Math.floor(6 + time * 0.8))
  }

  /** Seconds between regular spawns. */
  get interval(): number {
    return 0.35
  }

  update(dt: number, world: World, alive: number): void {
    if (world.time >= this.nextBoss) {
      this.nextBoss += this.bossEvery
      this.spawnBoss(world)
    }
    const target = this.target(world.time)
    if (this.crowd !== undefined) {
      // Stress mode: fill up at once (a few dozen a frame, so the first frame is not one long stall).
      for (let n = alive; n < target && n < alive + 40; n++) this.spawn(world, Enemy)
      return
    }
    this.wait -= dt
    if (this.wait <= 0 && alive < target) {
      this.wait = this.interval
      this.spawn(world, Enemy)
    }
  }

  spawnBoss(world: World): Boss {
    return this.spawn(world, Boss)
  }

  /** A new enemy on a random edge, facing the player. */
  spawn<T extends Enemy>(world: World, Kind: new (x: number, y: number) => T): T {
    const { width, height } = world.arena
    const side = Math.floor(world.random() * 4)
    const t = world.random()
    const x = side === 0 ? 0 : side === 1 ? width : t * width
    const y = side === 2 ? 0 : side === 3 ? height : t * height
    const enemy = world.add(new Kind(x, y))
    enemy.angle = Math.atan2(world.player.y - y, world.player.x - x)
    return enemy
  }
}
