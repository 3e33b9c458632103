import type { ModuleProblem } from './protocol.ts'
import { formatLocation } from '../core/source-location.ts'
import type { SwapReport } from '../core/types.ts'

const ID = 'hotclass-overlay'

/** The lines the overlay shows: modules that do not transform, then the last failed swap. */
export function overlayText(problems: readonly ModuleProblem[], last: SwapReport | undefined): string {
  const lines = problems.map((p) => `${formatLocation(p)}  ${p.message}${p.frame ? `\n${p.frame}` : ''}`)
  if (last && !last.ok && last.error) {
    const e = last.error
    const text = `${e.code}: ${e.message.split('\n')[0]}`
    if (!lines.some((l) => text.includes(l.split('  ')[1] ?? '\u0000'))) lines.push(text)
  }
  return lines.join('\n\n')
}

/**
 * A small box at the bottom of the page saying what is broken, so a player sees that the old code is
 * still running and why. It never takes input: clicks and keys go to the game. Empty text removes it.
 */
export function renderOverlay(text: string): void {
  const doc = globalThis.document
  if (!doc?.body) return
  let box = doc.getElementById(ID)
  if (text === '') {
    box?.remove()
    return
  }
  if (!box) {
    box = doc.createElement('pre')
    box.id = ID
    box.setAttribute('role', 'alert')
    Object.assign(box.style, {
      position: 'fixed',
      left: '8px',
      right: '8px',
      bottom: '8px',
      margin: '0',
      padding: '8px 10px',
      maxHeight: '40vh',
      overflow: 'auto',
      font: '12px/1.4 ui-monospace, monospace',
      color: '#ffd7d7',
      background: 'rgba(40, 0, 0, 0.88)',
      border: '1px solid #c33',
      borderRadius: '4px',
      whiteSpace: 'pre-wrap',
      pointerEvents: 'none',
      zIndex: '2147483647',
    })
    doc.body.appendChild(box)
  }
  box.textContent = `hotclass: the old code keeps running\n\n${text}`
}
