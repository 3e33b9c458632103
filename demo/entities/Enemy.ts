import { reloadable } from 'hotclass'
import type { Shape } from '../render/textures.ts'
import type { PlayerLike, World } from '../world.ts'
import { Entity } from './Entity.ts'

/** A grunt: chases the player and hurts on contact. Try editing `color`, `speed` or `update`, then F5. */
@reloadable()
export class Enemy extends Entity {
  override get shape(): Shape {
    return 'triangle'
  }

  override get radius(): number {
    return 11
  }

  override get color(): number {
    return 0xff5d73
  }

  override get maxHp(): number {
    return 3
  }

  override get hostile(): boolean {
    return true
  }

  /** Pixels per second. */
  get speed(): number {
    return 90
  }

  /** Score for a kill. */
  get points(): number {
    return 10
  }

  /** Damage dealt to the player on contact. */
  get damage(): number {
    return 1
  }

  override update(dt: number, world: World): void {
    this.chase(world.player, dt)
  }

  /** Head for the target, turning gradually so a crowd flows instead of snapping. */
  chase(target: PlayerLike, dt: number): void {
    const dx = target.x - this.x
    const dy = target.y - this.y
    const want = Math.atan2(dy, dx)
    let turn = want - this.angle
    turn = Math.atan2(Math.sin(turn), Math.cos(turn))
    this.angle += Math.max(-4 * dt, Math.min(4 * dt, turn))
    this.vx = Math.cos(this.angle) * this.speed
    this.vy = Math.sin(this.angle) * this.speed
  }

  override die(world: World): void {
    super.die(world)
    world.addScore(this.points)
  }
}
