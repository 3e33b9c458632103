import { reloadable } from 'hotclass'
import { Sprite } from 'pixi.js'
import { TEXTURE_RADIUS, textureFor } from '../render/textures.ts'
import type { Shape } from '../render/textures.ts'
import type { World } from '../world.ts'

/**
 * Everything that moves in the arena. Tuning values are getters, not fields: a field's initial value is
 * copied into each object when it is made, so editing it changes only objects made after the swap,
 * while an edited getter is live on every entity already on screen.
 */
@reloadable()
export class Entity {
  /** Set by the world when the entity is added; stable for the entity's life. */
  id = 0
  x: number
  y: number
  vx = 0
  vy = 0
  /** Facing, in radians; 0 points right. */
  angle = 0
  hp: number
  alive = true
  /** Seconds since the entity was made. */
  age = 0
  /** Seconds of white hit-flash left. */
  flash = 0
  readonly view: Sprite

  constructor(x: number, y: number) {
    this.x = x
    this.y = y
    this.hp = this.maxHp
    this.view = new Sprite(textureFor(this.shape))
    this.view.anchor.set(0.5)
  }

  get shape(): Shape {
    return 'circle'
  }

  get radius(): number {
    return 10
  }

  get color(): number {
    return 0xffffff
  }

  get maxHp(): number {
    return 1
  }

  /** Whether the player's bullets hurt it. */
  get hostile(): boolean {
    return false
  }

  /** Decide what to do this frame: set velocity, fire, spawn. Subclasses override. */
  update(_dt: number, _world: World): void {}

  /** Move by velocity and keep inside the arena. */
  integrate(dt: number, world: World): void {
    this.age += dt
    if (this.flash > 0) this.flash = Math.max(0, this.flash - dt)
    this.x += this.vx * dt
    this.y += this.vy * dt
    const r = this.radius
    this.x = Math.min(Math.max(this.x, r), world.arena.width - r)
    this.y = Math.min(Math.max(this.y, r), world.arena.height - r)
  }

  /** Take damage; dies at zero hp. */
  hit(damage: number, world: World): void {
    if (!this.alive) return
    this.hp -= damage
    this.flash = 0.08
    if (this.hp <= 0) this.die(world)
  }

  die(world: World): void {
    this.alive = false
    world.burst(this.x, this.y, this.color, 6)
  }

  /** Copy the entity's state onto its sprite; runs every frame, so edits to the getters show at once. */
  sync(): void {
    const view = this.view
    const texture = textureFor(this.shape)
    if (view.texture !== texture) view.texture = texture
    view.position.set(this.x, this.y)
    view.rotation = this.angle
    view.scale.set(this.radius / TEXTURE_RADIUS)
    const tint = this.flash > 0 ? 0xffffff : this.color
    if (view.tint !== tint) view.tint = tint
    view.alpha = 1
  }
}
