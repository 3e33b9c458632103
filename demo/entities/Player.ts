import { reloadable } from 'hotclass'
import type { Shape } from '../render/textures.ts'
import type { World } from '../world.ts'
import { Bullet } from './Bullet.ts'
import { Entity } from './Entity.ts'

/** The ship: WASD or arrows to fly; it fires at the nearest enemy by itself. */
@reloadable()
export class Player extends Entity {
  /** Seconds until the next shot. */
  cooldown = 0
  /** Seconds of invulnerability left after a hit. */
  shield = 0
  /** Never takes damage (`?god` in the URL): handy while editing enemies. */
  invincible = false

  override get shape(): Shape {
    return 'ship'
  }

  override get radius(): number {
    return 14
  }

  override get color(): number {
    return 0x5ee6ff
  }

  override get maxHp(): number {
    return 5
  }

  get speed(): number {
    return 280
  }

  /** Seconds between shots. */
  get fireInterval(): number {
    return 0.12
  }

  get bulletSpeed(): number {
    return 620
  }

  /** How far the auto-aim looks for a target. */
  get range(): number {
    return 420
  }

  override update(dt: number, world: World): void {
    const axis = world.input.axis()
    const len = Math.hypot(axis.x, axis.y) || 1
    // Ease towards the wanted velocity: responsive, without the jitter of instant starts and stops.
    const ease = Math.min(1, dt * 12)
    this.vx += ((axis.x / len) * this.speed - this.vx) * ease
    this.vy += ((axis.y / len) * this.speed - this.vy) * ease
    if (this.shield > 0) this.shield = Math.max(0, this.shield - dt)

    this.cooldown -= dt
    const target = world.nearestEnemy(this.x, this.y, this.range)
    if (target) {
      this.angle = Math.atan2(target.y - this.y, target.x - this.x)
      if (this.cooldown <= 0) {
        this.cooldown = this.fireInterval
        this.fire(world)
      }
    } else if (axis.x !== 0 || axis.y !== 0) {
      this.angle = Math.atan2(axis.y, axis.x)
    }
  }

  fire(world: World): void {
    const c = Math.cos(this.angle)
    const s = Math.sin(this.angle)
    const muzzle = this.radius + 4
    world.add(new Bullet(this.x + c * muzzle, this.y + s * muzzle, c * this.bulletSpeed, s * this.bulletSpeed, true))
  }

  /** Take contact or bullet damage, then blink invulnerable for a moment. */
  hurt(damage: number, world: World): void {
    if (this.invincible || this.shield > 0 || !this.alive) return
    this.shield = 1
    this.hit(damage, world)
  }

  override sync(): void {
    super.sync()
    // Blink while the shield is up.
    if (this.shield > 0 && Math.floor(this.shield * 12) % 2 === 0) this.view.alpha = 0.35
  }
}
