/**
 * Keyboard state for the game: which keys are held, and one-shot presses consumed by the game loop.
 * F5 is not handled here: the hotclass client owns it (swap instead of reloading the page).
 */
export class Input {
  private readonly held = new Set<string>()
  private readonly pressed = new Set<string>()
  private readonly onDown = (e: KeyboardEvent): void => {
    if (GAME_KEYS.has(e.code)) e.preventDefault()
    if (!e.repeat) this.pressed.add(e.code)
    this.held.add(e.code)
  }
  private readonly onUp = (e: KeyboardEvent): void => {
    this.held.delete(e.code)
  }
  // Losing focus never delivers the keyup: without this the ship keeps flying after an alt-tab.
  private readonly onBlur = (): void => this.held.clear()

  constructor(private readonly target: Window = window) {
    target.addEventListener('keydown', this.onDown)
    target.addEventListener('keyup', this.onUp)
    target.addEventListener('blur', this.onBlur)
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
    this.target.removeEventListener('keydown', this.onDown)
    this.target.removeEventListener('keyup', this.onUp)
    this.target.removeEventListener('blur', this.onBlur)
  }
}

// Keys the game uses: their browser defaults (scrolling) are suppressed.
const GAME_KEYS = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Space'])
