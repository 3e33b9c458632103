import { installProbe, onPending, onProblems, onReload } from 'hotclass/client'
import { Application, Container, Graphics } from 'pixi.js'
import { Boss } from './entities/Boss.ts'
import { Bullet } from './entities/Bullet.ts'
import { Enemy } from './entities/Enemy.ts'
import { Entity } from './entities/Entity.ts'
import { Player } from './entities/Player.ts'
import { Spark } from './entities/Spark.ts'
import { Game } from './Game.ts'
import type { GameOptions } from './Game.ts'
import { Hud } from './hud/Hud.ts'
import { Toasts } from './hud/Toasts.ts'
import { Input } from './input.ts'
import { buildTextures } from './render/textures.ts'
import './shortcuts.ts'

/**
 * Start-up: the pixi application, the world, the HUD and the frame loop. This module runs once and
 * holds the game object, so nothing is lost when an entity module is swapped. Editing this file reloads
 * the page instead (it is the entry: no importer holds anything to patch), which is why the rules of
 * the game live in reloadable classes and this file only wires them together.
 */

function readOptions(search: string): GameOptions {
  const params = new URLSearchParams(search)
  const enemies = Number(params.get('enemies'))
  const seed = Number(params.get('seed'))
  const options: GameOptions = {
    god: params.has('god'),
    seed: Number.isFinite(seed) && seed !== 0 ? seed : 1,
  }
  if (Number.isInteger(enemies) && enemies > 0) options.enemies = enemies
  return options
}

function drawFloor(floor: Graphics, width: number, height: number): void {
  floor.clear()
  for (let x = 0; x <= width; x += 48) floor.moveTo(x, 0).lineTo(x, height)
  for (let y = 0; y <= height; y += 48) floor.moveTo(0, y).lineTo(width, y)
  floor.stroke({ width: 1, color: 0x1b2440 })
  floor.rect(1, 1, width - 2, height - 2).stroke({ width: 2, color: 0x2c3a66 })
}

async function start(): Promise<void> {
  const stage = document.getElementById('stage')!
  const app = new Application()
  // No canvas MSAA: sprites are pre-antialiased textures, and MSAA on a software GL (swiftshader, CI)
  // halved the frame rate with 300 enemies.
  await app.init({ resizeTo: stage, background: 0x0b0f1a, antialias: false })
  stage.append(app.canvas)
  buildTextures(app.renderer)

  const floor = new Graphics()
  const layer = new Container()
  app.stage.addChild(floor, layer)
  const arena = { width: app.screen.width, height: app.screen.height }
  drawFloor(floor, arena.width, arena.height)
  app.renderer.on('resize', (width: number, height: number) => {
    arena.width = width
    arena.height = height
    drawFloor(floor, width, height)
  })

  const input = new Input()
  const game = new Game(layer, arena, input, readOptions(location.search))
  const hud = new Hud(document.getElementById('hud')!)
  const toasts = new Toasts(hud.toasts)
  // F5 swaps every pending change in one transaction; the HUD says what is waiting and what happened.
  installProbe()
  onPending((count) => hud.setPending(count))
  onProblems((problems) => hud.setProblems(problems))
  // Every report of the page, F5 swaps and rollbacks (Z, `__HOTCLASS__.rollback()`) alike.
  onReload((report) => toasts.show(report))

  // Exposed for tests and curious players: `game.entities`, `game.score`, `game.classes.Enemy`...
  Object.assign(game, { classes: { Entity, Enemy, Boss, Player, Bullet, Spark }, hud, toasts, app })
  ;(globalThis as { game?: Game }).game = game

  // The whole arena takes clicks: `Game.onPointerDown` handles them.
  app.stage.eventMode = 'static'
  app.stage.hitArea = app.screen
  game.attach(app.ticker, app.stage)
  app.ticker.add((ticker) => hud.update(game, ticker.FPS))
}

void start()
