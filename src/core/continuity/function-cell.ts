/**
 * One top-level function across versions: the stable wrapper every caller holds (`w`) and the body it
 * runs (`v`). The wrapper the transform writes is `function f(...a) { const impl = cell.v; ... impl(...a) }`.
 *
 * `v` lives on the cell's prototype, and a new body gets a new prototype object instead of an assignment.
 * Measured (node 20): V8 folds a load from a prototype it has seen stable into a constant, so the wrapper
 * and the body inline into the caller and a call costs what a direct call does (1.0x), and swapping the
 * prototype only deoptimises the callers, which re-optimise with the new constant (1.0x after any number
 * of swaps). Assigning `cell.v` instead marks the field mutable for good: a call after the first swap went
 * through a megamorphic indirect call, 7-11x a one-line function.
 */
export interface FunctionCell {
  readonly v: Function
  w: Function | undefined
}

export function functionCell(impl: Function): FunctionCell {
  const cell = Object.create({ v: impl }) as FunctionCell
  cell.w = undefined
  return cell
}

/** Point the cell at another body (a swap, its undo, a rollback). */
export function setImplementation(cell: FunctionCell, impl: Function): void {
  if (cell.v !== impl) Object.setPrototypeOf(cell, { v: impl })
}
