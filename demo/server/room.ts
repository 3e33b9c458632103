import { reloadable } from 'hotclass'
import type { ServerConfig } from './config.ts'
import { Player } from './player.ts'

export interface Coin {
  x: number
  y: number
}

/**
 * One match: players and coins in an arena. The server is authoritative: clients (here, bots) only
 * say where they go; the room decides who picked what up and keeps the score.
 */
@reloadable()
export class Room {
  readonly players = new Map<string, Player>()
  coins: Coin[] = []
  ticks = 0

  constructor(
    readonly name: string,
    readonly config: ServerConfig,
    readonly random: () => number,
  ) {}

  join(name: string): Player {
    const player = new Player(name)
    player.x = this.random() * this.config.arena.width
    player.y = this.random() * this.config.arena.height
    this.players.set(name, player)
    return player
  }

  leave(name: string): boolean {
    return this.players.delete(name)
  }

  tick(dt: number): void {
    this.ticks++
    while (this.coins.length < this.config.coinsPerRoom) this.coins.push(this.spawnCoin())
    for (const player of this.players.values()) {
      player.update(dt, this)
      this.pickUp(player)
    }
  }

  /** A coin within reach is the player's: score it and put a new coin somewhere else. */
  pickUp(player: Player): void {
    const reach = 10
    const index = this.coins.findIndex((c) => Math.hypot(c.x - player.x, c.y - player.y) <= reach)
    if (index < 0) return
    player.score += this.config.coinValue
    this.coins[index] = this.spawnCoin()
  }

  spawnCoin(): Coin {
    return { x: this.random() * this.config.arena.width, y: this.random() * this.config.arena.height }
  }

  nearestCoin(x: number, y: number): Coin | undefined {
    let best: Coin | undefined
    let bestDistance = Infinity
    for (const coin of this.coins) {
      const d = Math.hypot(coin.x - x, coin.y - y)
      if (d < bestDistance) {
        best = coin
        bestDistance = d
      }
    }
    return best
  }

  leaders(): Player[] {
    return [...this.players.values()].toSorted((a, b) => b.score - a.score)
  }

  summary(): string {
    return `${this.name}: ${this.leaders()
      .map((p) => p.describe())
      .join(', ')}`
  }
}
