import { reloadable } from 'hotclass'
import type { Shape } from '../render/textures.ts'
import type { World } from '../world.ts'
import { Entity } from './Entity.ts'

/** A projectile. The player's hurt hostile entities; everyone else's hurt the player. */
@reloadable()
export class Bullet extends Entity {
  readonly fromPlayer: boolean

  constructor(x: number, y: number, vx: number, vy: number, fromPlayer: boolean) {
    super(x, y)
    this.vx = vx
    this.vy = vy
    this.angle = Math.atan2(vy, vx)
    this.fromPlayer = fromPlayer
  }

  override get shape(): Shape {
    return this.fromPlayer ? 'diamond' : 'circle'
  }

  override get radius(): number {
    return this.fromPlayer ? 5 : 6
  }

  override get color(): number {
    return this.fromPlayer ? 0xfff27a : 0xff9f43
  }

  /** Seconds before a bullet that hit nothing fizzles out. */
  get lifetime(): number {
    return 1.6
  }

  get damage(): number {
    return 1
  }

  /** Bullets fly off the edge instead of sliding along it, and expire. */
  override integrate(dt: number, world: World): void {
    this.age += dt
    this.x += this.vx * dt
    this.y += this.vy * dt
    const r = this.radius
    const outside = this.x < -r || this.y < -r || this.x > world.arena.width + r || this.y > world.arena.height + r
    if (outside || this.age > this.lifetime) this.alive = false
  }

  override die(_world: World): void {
    this.alive = false
  }
}
