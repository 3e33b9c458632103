import { reloadable } from 'hotclass'
import type { Shape } from '../render/textures.ts'
import type { World } from '../world.ts'
import { Entity } from './Entity.ts'

/** A particle from an explosion: no collisions, shrinks and fades. */
@reloadable()
export class Spark extends Entity {
  readonly tintColor: number

  constructor(x: number, y: number, vx: number, vy: number, color: number) {
    super(x, y)
    this.vx = vx
    this.vy = vy
    this.tintColor = color
  }

  override get shape(): Shape {
    return 'spark'
  }

  override get radius(): number {
    return 4 * Math.max(0, 1 - this.age / this.lifetime)
  }

  override get color(): number {
    return this.tintColor
  }

  get lifetime(): number {
    return 0.45
  }

  override integrate(dt: number, _world: World): void {
    this.age += dt
    this.vx *= 1 - 3 * dt
    this.vy *= 1 - 3 * dt
    this.x += this.vx * dt
    this.y += this.vy * dt
    if (this.age >= this.lifetime) this.alive = false
  }
}
