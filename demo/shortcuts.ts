import { once, rollback } from 'hotclass'

/**
 * Developer shortcuts: Z undoes the last swap (`rollback()`; the toast says what was undone).
 *
 * The listener is registered in a `once` block, so a swap of this module does not add a second one,
 * and `onShortcut` keeps its identity across swaps: edit its body, press F5, and the listener that was
 * registered at start-up runs the new code.
 */
export function onShortcut(event: KeyboardEvent): void {
  if (event.repeat || event.ctrlKey || event.metaKey || event.altKey) return
  if (event.code === 'KeyZ') void rollback()
}

once(() => {
  window.addEventListener('keydown', onShortcut)
  return () => window.removeEventListener('keydown', onShortcut)
})
