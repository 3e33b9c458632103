import { reloadable } from 'hotclass'
import { Bullet } from '../entities/Bullet.ts'
import { Enemy } from '../entities/Enemy.ts'
import type { Entity } from '../entities/Entity.ts'
import { Player } from '../entities/Player.ts'
import type { World } from '../world.ts'
import { SpatialGrid } from './SpatialGrid.ts'

/** Bullets against enemies, enemies against the player, and enemies pushing each other apart. */
@reloadable()
export class Collisions {
  readonly grid = new SpatialGrid(48)

  /** How hard overlapping enemies push apart (0: they stack, 1: fully separated in one frame). */
  get separation(): number {
    return 0.5
  }

  resolve(world: World, player: Player): void {
    const grid = this.grid
    grid.clear()
    for (const e of world.entities) if (e.alive && e.hostile) grid.insert(e)

    for (const e of world.entities) {
      if (!e.alive) continue
      if (e instanceof Bullet) this.bullet(e, world, player)
      else if (e.hostile) this.crowd(e, world, player)
    }
  }

  private bullet(b: Bullet, world: World, player: Player): void {
    if (!b.fromPlayer) {
      if (player.alive && touching(b, player)) {
        player.hurt(b.damage, world)
        b.alive = false
      }
      return
    }
    this.grid.query(b.x, b.y, b.radius + 32, (other) => {
      if (!other.alive || !touching(b, other)) return false
      other.hit(b.damage, world)
      // Shove by position, never velocity: `update` owns velocity, so edits to it show undisturbed.
      other.x += Math.cos(b.angle) * 3
      other.y += Math.sin(b.angle) * 3
      b.alive = false
      return true
    })
  }

  private crowd(e: Entity, world: World, player: Player): void {
    if (player.alive && touching(e, player)) {
      player.hurt(e instanceof Enemy ? e.damage : 1, world)
    }
    const push = this.separation
    // The widest neighbour is a boss (radius 30): look that far so no overlap is missed.
    this.grid.query(e.x, e.y, e.radius + 32, (other) => {
      if (other === e || other.id < e.id) return false
      const dx = other.x - e.x
      const dy = other.y - e.y
      const min = e.radius + other.radius
      const d2 = dx * dx + dy * dy
      if (d2 >= min * min || d2 === 0) return false
      const d = Math.sqrt(d2)
      const overlap = ((min - d) / d) * push * 0.5
      e.x -= dx * overlap
      e.y -= dy * overlap
      other.x += dx * overlap
      other.y += dy * overlap
      return false
    })
  }
}

function touching(a: Entity, b: Entity): boolean {
  const dx = a.x - b.x
  const dy = a.y - b.y
  const r = a.radius + b.radius
  return dx * dx + dy * dy < r * r
}
