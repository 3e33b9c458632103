import { reloadable } from 'hotclass'

/**
 * Keyboard state for the game: which keys are held, and one-shot presses consumed by the game loop.
 * F5 is not handled here: the hotclass client owns it (swap instead of reloading the page).
 *
 * The instance itself is the event listener (`handleEvent`), not an arrow function or a bound method:
 * the browser looks `handleEvent` up on every event, so an edit to it is live after a swap, where a
 * listener function captured at start-up would run the old code forever.
 */
@reloadable()
export class Input {
  private readonly held = new Set<string>()
  private readonly pressed = new Set<string>()

  constructor(private readonly target: Window = window) {
    for (const type of EVENTS) target.addEventListener(type, this)
  }

  handleEvent(event: Event): void {
    if (event.type === 'blur') {
      // Losing focus never delivers the keyup: without this the ship keeps flying after an alt-tab.
      this.held.clear()
      return
    }
    const e = event as KeyboardEvent
    if (e.type === 'keyup') {
      this.held.delete(e.code)
      return
    }
    if (this.gameKeys.has(e.code)) e.preventDefault()
    if (!e.repeat) this.pressed.add(e.code)
    this.held.add(e.code)
  }

  /** Keys whose browser defaults (scrolling) are suppressed. */
  get gameKeys(): ReadonlySet<string> {
    return GAME_KEYS
  }

  /** Whether any of the given key codes is held down. */
  down(...codes: string[]): boolean {
    return codes.some((c) => this.held.has(c))
  }

  /** Whether the key was pressed since the last call for it (edge-triggered). */
  consume(code: string): boolean {
    return this.pressed.delete(code)
  }

  /** Movement axis from WASD / arrows, each component in [-1, 1]. */
  axis(): { x: number; y: number } {
    const x = Number(this.down('KeyD', 'ArrowRight')) - Number(this.down('KeyA', 'ArrowLeft'))
    const y = Number(this.down('KeyS', 'ArrowDown')) - Number(this.down('KeyW', 'ArrowUp'))
    return { x, y }
  }

  dispose(): void {
    for (const type of EVENTS) this.target.removeEventListener(type, this)
  }
}

const EVENTS = ['keydown', 'keyup', 'blur'] as const
const GAME_KEYS: ReadonlySet<string> = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Space'])
