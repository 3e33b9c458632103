import { reloadable } from 'hotclass'
import type { Container, FederatedPointerEvent, Ticker } from 'pixi.js'
import { Boss } from './entities/Boss.ts'
import { Enemy } from './entities/Enemy.ts'
import type { Entity } from './entities/Entity.ts'
import { Player } from './entities/Player.ts'
import { Spark } from './entities/Spark.ts'
import type { Input } from './input.ts'
import { Collisions } from './systems/Collisions.ts'
import { Spawner } from './systems/Spawner.ts'
import type { World } from './world.ts'

/** Start-up options, read from the page URL (`?enemies=300&god&seed=7`). */
export interface GameOptions {
  /** Keep exactly this many enemies alive (stress test); otherwise the crowd grows with time. */
  enemies?: number
  /** The player never takes damage. */
  god: boolean
  /** Seed of the random generator. */
  seed: number
}

/**
 * The world: every entity, the score and the clock. One object made once by main.ts and kept for the
 * page's life, so it carries all game state across swaps; its class is reloadable too, so the rules
 * (stepping, scoring, game over) can be edited live like any entity.
 */
@reloadable()
export class Game implements World {
  entities: Entity[] = []
  player: Player
  score = 0
  kills = 0
  /** Seconds played in this run. */
  time = 0
  /** Frames stepped since the page loaded; never reset, so tests can tell the loop is alive. */
  frame = 0
  paused = false
  over = false
  nextId = 1
  seed: number
  spawner: Spawner
  readonly collisions = new Collisions()

  constructor(
    readonly layer: Container,
    readonly arena: { width: number; height: number },
    readonly input: Input,
    readonly options: GameOptions,
  ) {
    this.seed = options.seed
    this.spawner = new Spawner(options.enemies)
    this.player = this.spawnPlayer()
  }

  /** Where `attach()` registered the game, so `detach()` can unregister it. */
  private attachedTo: { ticker: Ticker; stage: Container } | undefined

  /**
   * Join the frame loop and the pointer. pixi is handed the methods themselves with their context, the
   * way pixi code usually registers them; hotclass hands out one stable function per method, so an edit
   * of `tick` or `onPointerDown` runs on the next frame or click after F5, and `detach()` passes pixi the
   * very functions it was given here.
   */
  attach(ticker: Ticker, stage: Container): void {
    if (this.attachedTo) return
    this.attachedTo = { ticker, stage }
    ticker.add(this.tick, this)
    stage.on('pointerdown', this.onPointerDown, this)
  }

  /** Leave the frame loop and the pointer (the world stops; `attach()` resumes it). */
  detach(): void {
    if (!this.attachedTo) return
    const { ticker, stage } = this.attachedTo
    this.attachedTo = undefined
    ticker.remove(this.tick, this)
    stage.off('pointerdown', this.onPointerDown, this)
  }

  /** One frame of the pixi ticker. */
  tick(ticker: Ticker): void {
    // A long stall (a breakpoint, a background tab) would teleport everything: cap the step.
    this.step(Math.min(ticker.deltaMS / 1000, 1 / 20))
  }

  /** A click or a tap on the arena: fireworks where it landed. */
  onPointerDown(event: FederatedPointerEvent): void {
    this.burst(event.global.x, event.global.y, 0xffd84d, 12)
  }

  /** Advance the world by `dt` seconds. */
  step(dt: number): void {
    this.frame++
    if (this.input.consume('KeyP')) this.paused = !this.paused
    if (this.input.consume('KeyB')) this.spawner.spawnBoss(this)
    if (this.over && this.input.consume('Enter')) this.restart()
    if (this.paused) return
    if (!this.over) {
      this.time += dt
      this.spawner.update(dt, this, this.enemyCount())
    }
    // Index loop: entities added during the frame (bullets, sparks) start moving next frame.
    const n = this.entities.length
    for (let i = 0; i < n; i++) {
      const e = this.entities[i]!
      if (e.alive) e.update(dt, this)
    }
    for (let i = 0; i < n; i++) {
      const e = this.entities[i]!
      if (e.alive) e.integrate(dt, this)
    }
    this.collisions.resolve(this, this.player)
    if (!this.player.alive) this.over = true
    this.sweep()
  }

  /** Drop dead entities and copy the living ones onto their sprites. */
  sweep(): void {
    let kept = 0
    for (const e of this.entities) {
      if (e.alive) {
        e.sync()
        this.entities[kept++] = e
      } else {
        e.view.destroy()
      }
    }
    this.entities.length = kept
  }

  add<T extends Entity>(entity: T): T {
    entity.id = this.nextId++
    this.entities.push(entity)
    this.layer.addChild(entity.view)
    entity.sync()
    return entity
  }

  enemyCount(): number {
    let n = 0
    for (const e of this.entities) if (e.alive && e instanceof Enemy) n++
    return n
  }

  nearestEnemy(x: number, y: number, maxDistance = Infinity): Entity | undefined {
    let best: Entity | undefined
    let bestD = maxDistance * maxDistance
    for (const e of this.entities) {
      if (!e.alive || !e.hostile) continue
      const d = (e.x - x) ** 2 + (e.y - y) ** 2
      if (d < bestD) {
        bestD = d
        best = e
      }
    }
    return best
  }

  addScore(points: number): void {
    if (this.over) return
    this.score += points
    this.kills++
  }

  /** Mulberry32: small, fast and good enough for spawn positions. */
  random(): number {
    let t = (this.seed = (this.seed + 0x6d2b79f5) | 0)
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  burst(x: number, y: number, color: number, count: number): void {
    for (let i = 0; i < count; i++) {
      const a = this.random() * Math.PI * 2
      const speed = 80 + this.random() * 160
      this.add(new Spark(x, y, Math.cos(a) * speed, Math.sin(a) * speed, color))
    }
  }

  spawnBoss(): Boss {
    return this.spawner.spawnBoss(this)
  }

  /** Start a new run: everything goes, the player comes back in the middle. */
  restart(): void {
    for (const e of this.entities) e.view.destroy()
    this.entities.length = 0
    this.score = 0
    this.kills = 0
    this.time = 0
    this.over = false
    this.spawner = new Spawner(this.options.enemies)
    this.player = this.spawnPlayer()
  }

  private spawnPlayer(): Player {
    const player = new Player(this.arena.width / 2, this.arena.height / 2)
    player.invincible = this.options.god
    player.angle = -Math.PI / 2
    return this.add(player)
  }
}
