import { Room } from '@colyseus/core'
import type { Client, RoomException, RoomMethodName } from '@colyseus/core'
import { reloadable } from 'hotclass'
import { ArenaState, Player } from './state.ts'

export interface Move {
  dx: number
  dy: number
}

const recentErrors = new Map<string, number>()

/**
 * An arena: players move with `move` messages, a clock interval ticks the world. Everything the room
 * does lives in methods that a save swaps into the live room, with its state and clients kept:
 *
 * - handlers and timers are arrows that call a method (`() => this.tick()`), so they run the newest body;
 * - `onUncaughtException` is defined, so Colyseus catches what a method throws at its call site (timers
 *   keep their schedule, a message handler's error stays out of the socket) instead of its process-wide
 *   handler ending the server. Defining it makes Colyseus bind `onJoin`, `onLeave` and `onDispose` once
 *   per room, so those stay one-line delegates and the bodies you edit are `join`, `leave`, `dispose`.
 */
@reloadable()
export class ArenaRoom extends Room<{ state: ArenaState }> {
  override maxClients = 16
  /** Server times of recent ticks (ms), for the bench's jitter figure: `timing` asks for them. */
  tickTimes: number[] = []

  override onCreate(): void {
    this.setState(new ArenaState())
    this.onMessage('move', (client, move: Move) => this.move(client, move))
    this.onMessage('timing', (client) => client.send('timing', this.tickTimes.splice(0)))
    this.clock.setInterval(() => this.tick(), 50)
  }

  override onJoin(client: Client, options: { name?: string }): void {
    this.join(client, options)
  }

  override onLeave(client: Client): void {
    this.leave(client)
  }

  override onUncaughtException(error: RoomException, method: RoomMethodName): void {
    this.reportError(error, method)
  }

  join(client: Client, options: { name?: string }): void {
    const player = new Player()
    player.name = options.name ?? client.sessionId
    this.state.players.set(client.sessionId, player)
  }

  leave(client: Client): void {
    this.state.players.delete(client.sessionId)
  }

  /** One step per message, clamped so a client cannot teleport. */
  move(client: Client, move: Move): void {
    const player = this.state.players.get(client.sessionId)
    if (!player) return
    const step = 1
    player.x += Math.sign(move.dx) * step
    player.y += Math.sign(move.dy) * step
  }

  tick(): void {
    this.state.ticks++
    this.state.banner = this.banner()
    if (this.tickTimes.length < 1000) this.tickTimes.push(performance.now())
  }

  banner(): string {
    return `arena: ${this.state.players.size} players`
  }

  /** The error with where it was thrown, once per distinct error every two seconds (a tick is 20 Hz). */
  reportError(error: RoomException, method: RoomMethodName): void {
    const cause = error.cause instanceof Error ? error.cause : error
    const key = `${method} ${cause.message}`
    const now = Date.now()
    if (now - (recentErrors.get(key) ?? -Infinity) < 2000) return
    recentErrors.set(key, now)
    console.error(`room ${this.roomId}: ${method} threw, the room keeps running: ${cause.stack ?? cause.message}`)
  }
}
