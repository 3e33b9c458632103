import { reloadable } from 'hotclass'
import type { Shape } from '../render/textures.ts'
import type { World } from '../world.ts'
import { Bullet } from './Bullet.ts'
import { Enemy } from './Enemy.ts'

/** A slow, heavy Enemy that fires rings of bullets. It inherits chasing from Enemy, so edits there show here too. */
@reloadable()
export class Boss extends Enemy {
  /** Seconds until the next ring of bullets. */
  reload = 2

  override get shape(): Shape {
    return 'hexagon'
  }

  override get radius(): number {
    return 30
  }

  override get color(): number {
    return 0xb17cff
  }

  override get maxHp(): number {
    return 60
  }

  override get speed(): number {
    return 45
  }

  override get points(): number {
    return 250
  }

  override get damage(): number {
    return 2
  }

  /** Bullets per ring. */
  get volley(): number {
    return 14
  }

  override update(dt: number, world: World): void {
    super.update(dt, world)
    this.reload -= dt
    if (this.reload <= 0) {
      this.reload = 3
      this.fire(world)
    }
  }

  fire(world: World): void {
    const n = this.volley
    const offset = world.random() * Math.PI
    for (let i = 0; i < n; i++) {
      const a = offset + (i / n) * Math.PI * 2
      world.add(new Bullet(this.x, this.y, Math.cos(a) * 170, Math.sin(a) * 170, false))
    }
  }

  override die(world: World): void {
    super.die(world)
    world.burst(this.x, this.y, 0xffffff, 24)
  }
}
