import { reloadable } from 'hotclass'
import type { ServerConfig } from './config.ts'
import { createRandom } from './random.ts'
import { Room } from './room.ts'

/** Every room on the server, and where a joining player goes. */
@reloadable()
export class Lobby {
  readonly rooms: Room[] = []
  ticks = 0
  readonly random: () => number

  constructor(
    readonly config: ServerConfig,
    seed = 1,
  ) {
    this.random = createRandom(seed)
  }

  /** Put the player in the emptiest room, opening rooms up to `config.rooms`. */
  join(name: string): Room {
    if (this.rooms.length < this.config.rooms) {
      this.rooms.push(new Room(`room-${this.rooms.length + 1}`, this.config, this.random))
    }
    const room = this.rooms.reduce((a, b) => (b.players.size < a.players.size ? b : a))
    room.join(name)
    return room
  }

  tick(dt: number): void {
    this.ticks++
    for (const room of this.rooms) room.tick(dt)
  }

  summary(): string {
    return `tick ${this.ticks} | ${this.rooms.map((r) => r.summary()).join(' | ')}`
  }

  /** What `GET /state` answers: enough for a client to draw the rooms. */
  snapshot(): object {
    return {
      ticks: this.ticks,
      rooms: this.rooms.map((r) => ({
        name: r.name,
        coins: r.coins,
        players: [...r.players.values()].map((p) => ({ name: p.name, x: p.x, y: p.y, score: p.score })),
      })),
    }
  }
}
