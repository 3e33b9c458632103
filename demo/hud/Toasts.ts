import { changedClasses, reloadable } from 'hotclass'
import type { ClassChange, SwapReport } from 'hotclass'

/**
 * Toasts that say what a swap did: each class with the members added (+), removed (−) and changed (~),
 * and the time taken; or, for a failed swap, the error with its file and line, while the game runs on.
 */
@reloadable()
export class Toasts {
  constructor(readonly root: HTMLElement) {}

  /** How long a toast stays, in milliseconds; errors stay longer, they need reading. */
  lifetime(ok: boolean): number {
    return ok ? 6000 : 15000
  }

  /** Most toasts on screen at once; the oldest goes first. */
  get limit(): number {
    return 4
  }

  show(report: SwapReport): HTMLElement {
    const toast = document.createElement('div')
    toast.className = `toast ${report.ok ? 'ok' : 'error'}`
    toast.append(report.ok ? this.success(report) : this.failure(report))
    this.root.prepend(toast)
    while (this.root.children.length > this.limit) this.root.lastElementChild?.remove()
    setTimeout(() => toast.classList.add('gone'), this.lifetime(report.ok))
    setTimeout(() => toast.remove(), this.lifetime(report.ok) + 400)
    return toast
  }

  private success(report: SwapReport): DocumentFragment {
    const f = document.createDocumentFragment()
    const verb = report.kind === 'rollback' ? 'Rolled back' : 'Swapped'
    if (report.modules.length === 0) {
      f.append(el('div', 'title', 'Nothing to swap'))
      f.append(el('div', 'line dim', 'Edit a file under demo/ and save it first.'))
      return f
    }
    // Only classes that changed something are listed; a module without one (the texture drawing code,
    // an edit to module state) is named instead.
    const shown = changedClasses(report)
    const what = shown.length > 0 ? plural(shown.length, 'class', 'classes') : report.modules.join(', ')
    const title = el('div', 'title', `${verb} ${what}`)
    title.append(el('span', 'time', ` in ${report.durationMs.toFixed(1)} ms (patch ${report.patchMs.toFixed(2)} ms)`))
    f.append(title)
    for (const change of shown) f.append(this.classLine(change))
    return f
  }

  private classLine(change: ClassChange): HTMLElement {
    const line = el('div', 'line')
    line.append(el('span', 'name', change.name))
    if (change.isNew) line.append(el('span', 'add', ' new'))
    for (const name of change.added) line.append(el('span', 'add', ` +${name}`))
    for (const name of change.removed) line.append(el('span', 'del', ` −${name}`))
    for (const name of change.changed) line.append(el('span', 'chg', ` ~${name}`))
    if (change.baseChanged) line.append(el('span', 'chg', ' ~extends'))
    for (const warning of change.warnings) line.append(el('div', 'warn', `⚠ ${warning}`))
    return line
  }

  private failure(report: SwapReport): DocumentFragment {
    const f = document.createDocumentFragment()
    const error = report.error
    const where = error?.file ? `${error.file}${error.line !== undefined ? `:${error.line}` : ''}` : ''
    f.append(el('div', 'title', `Swap failed${where ? ` — ${where}` : ''}`))
    const [message = 'unknown error'] = (error?.message ?? '').split('\n  hint:')
    f.append(el('pre', 'message', message.trim()))
    // The core's hints already say the old code keeps running and what to do next.
    f.append(el('div', 'line dim', error?.hint ?? 'The game keeps running the old code. Fix the file and press F5.'))
    return f
  }
}

function el(tag: string, className: string, text = ''): HTMLElement {
  const node = document.createElement(tag)
  node.className = className
  node.textContent = text
  return node
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`
}
