import { MapSchema, Schema, type } from '@colyseus/schema'
import { reloadable } from 'hotclass'

/**
 * What every client sees. Methods can be edited live; the `@type()` fields are the wire layout, which
 * the encoder fixes per class when the first room starts: adding, removing or retyping one needs a
 * restart (hotclass refuses that swap and says so).
 */
@reloadable()
export class Player extends Schema {
  @type('string') name = ''
  @type('number') x = 0
  @type('number') y = 0
  @type('number') score = 0

  describe(): string {
    return `${this.name} (${this.x}, ${this.y}) ${this.score}`
  }
}

@reloadable()
export class ArenaState extends Schema {
  @type({ map: Player }) players = new MapSchema<Player>()
  @type('number') ticks = 0
  /** Set by the room's tick from its `banner()` method: the line a client shows. */
  @type('string') banner = ''
}
