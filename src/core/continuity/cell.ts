/**
 * One top-level binding's value, shared by every version of its module: the transform rewrites reads
 * and writes of a reassigned `let` to `cell.v`, so old closures and new code use the same slot, the way
 * silly.patch joins Lua upvalues. Every cell has the same shape, so `cell.v` stays a monomorphic load.
 */
export class Cell {
  v: unknown = undefined
  /**
   * One setter per evaluated version that exports this binding: each assigns that version's export.
   * Held weakly: the version's module scope holds its setter, so a version nothing imports any more can
   * be collected (a strong list kept every version of a module with exported variables alive).
   */
  mirrors: Array<WeakRef<(value: unknown) => void>> = []
  /**
   * The live setters, dereferenced once per task: `deref()` costs ~30 ns (it pins the target until the
   * task ends), too much for a counter written in a loop, so writes in the same task reuse this list.
   */
  private live: Array<(value: unknown) => void> | undefined = undefined

  /** After a write to an exported binding: pass the value to every version's export. Returns `result`. */
  sync<T>(result: T): T {
    const live = this.live ?? this.collect()
    for (let i = 0; i < live.length; i++) live[i]!(this.v)
    return result
  }

  broadcast(value: unknown): void {
    for (const set of this.live ?? this.collect()) set(value)
  }

  /** The mirror list changed: the next write dereferences again. */
  changed(): void {
    this.live = undefined
  }

  private collect(): Array<(value: unknown) => void> {
    const live: Array<(value: unknown) => void> = []
    const kept: Array<WeakRef<(value: unknown) => void>> = []
    for (const ref of this.mirrors) {
      const set = ref.deref()
      if (set === undefined) continue
      live.push(set)
      kept.push(ref)
    }
    this.mirrors = kept
    this.live = live
    queueMicrotask(() => {
      if (this.live === live) this.live = undefined
    })
    return live
  }
}
