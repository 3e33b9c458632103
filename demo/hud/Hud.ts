import { reloadable } from 'hotclass'
import type { ModuleProblem } from 'hotclass/client'
import type { Game } from '../Game.ts'

/** What the HUD shows each frame; read off the game so the HUD holds no game state of its own. */
interface Readout {
  score: string
  time: string
  entities: string
  fps: string
  hp: string
  state: string
}

/**
 * The heads-up display, in the DOM over the canvas: score, timer, entity count, frame rate, the
 * "changes pending" banner and the swap toasts. DOM text is only touched when it changes.
 */
@reloadable()
export class Hud {
  private readonly fields = new Map<keyof Readout, HTMLElement>()
  private readonly last = new Map<keyof Readout, string>()
  readonly pending: HTMLElement
  readonly problems: HTMLElement
  readonly toasts: HTMLElement
  readonly banner: HTMLElement
  /** Makes the pending badge pulse; `dispose()` stops it. */
  private readonly pulseTimer: ReturnType<typeof setInterval>

  constructor(readonly root: HTMLElement) {
    root.innerHTML = `
      <div class="bar">
        <span class="stat"><b>SCORE</b> <span data-f="score"></span></span>
        <span class="stat"><b>TIME</b> <span data-f="time"></span></span>
        <span class="stat"><b>HP</b> <span data-f="hp"></span></span>
        <span class="stat dim"><span data-f="entities"></span> entities</span>
        <span class="stat dim"><span data-f="fps"></span> fps</span>
      </div>
      <div class="pending" hidden></div>
      <div class="problems" hidden></div>
      <div class="banner" hidden><span data-f="state"></span></div>
      <div class="toasts"></div>
      <div class="help">WASD / arrows: fly · click: fireworks · B: boss · P: pause · Z: undo ·
        edit <code>demo/entities/*.ts</code>, then <kbd>F5</kbd></div>`
    for (const el of root.querySelectorAll<HTMLElement>('[data-f]')) {
      this.fields.set(el.dataset['f'] as keyof Readout, el)
    }
    this.pending = root.querySelector('.pending')!
    this.problems = root.querySelector('.problems')!
    this.toasts = root.querySelector('.toasts')!
    this.banner = root.querySelector('.banner')!
    // A bound method handed to a timer once: hotclass binds its stable stand-in for `pulse`, so an edit
    // of `pulse` is what the timer runs after F5.
    this.pulseTimer = setInterval(this.pulse.bind(this), 600)
  }

  /** Every 600 ms: the "press F5" badge pulses, so a waiting change is hard to miss. */
  pulse(): void {
    if (!this.pending.hidden) this.pending.classList.toggle('beat')
  }

  dispose(): void {
    clearInterval(this.pulseTimer)
  }

  /** Refresh the numbers; called once per frame. */
  update(game: Game, fps: number): void {
    this.set('score', String(game.score))
    this.set('time', clock(game.time))
    this.set('entities', String(game.entities.length))
    this.set('fps', String(Math.round(fps)))
    this.set('hp', game.player.invincible ? '∞' : '♥'.repeat(Math.max(0, game.player.hp)))
    const state = game.over ? 'GAME OVER — press Enter' : game.paused ? 'PAUSED — press P' : ''
    this.set('state', state)
    this.banner.hidden = state === ''
  }

  /** The "N changes pending — press F5" badge; hidden at zero. */
  setPending(count: number): void {
    this.pending.hidden = count === 0
    this.pending.textContent = `${count} change${count === 1 ? '' : 's'} pending — press F5`
  }

  /** Edits that do not compile, as soon as they are saved: the old code keeps running meanwhile. */
  setProblems(problems: readonly ModuleProblem[]): void {
    this.problems.hidden = problems.length === 0
    this.problems.textContent = problems
      .map((p) => `${p.file}${p.line !== undefined ? `:${p.line}` : ''} — ${p.message}`)
      .join('\n')
  }

  private set(field: keyof Readout, text: string): void {
    if (this.last.get(field) === text) return
    this.last.set(field, text)
    const el = this.fields.get(field)
    if (el) el.textContent = text
  }
}

/** Seconds as m:ss. */
function clock(seconds: number): string {
  const s = Math.floor(seconds)
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}
