import { reloadable } from 'hotclass'
import type { Room } from './room.ts'

/**
 * A bot in a room. Its state (position, score) lives on the instance, so editing `update` changes how
 * every live bot plays without resetting the match. Try: make bots chase the farthest coin instead.
 */
@reloadable()
export class Player {
  x = 0
  y = 0
  score = 0

  constructor(readonly name: string) {}

  /** Walk towards the nearest coin. */
  update(dt: number, room: Room): void {
    const target = room.nearestCoin(this.x, this.y)
    if (!target) return
    const dx = target.x - this.x
    const dy = target.y - this.y
    const distance = Math.hypot(dx, dy)
    if (distance < 1e-6) return
    const step = Math.min(distance, room.config.playerSpeed * dt)
    this.x += (dx / distance) * step
    this.y += (dy / distance) * step
  }

  describe(): string {
    return `${this.name} ${this.score}`
  }
}
