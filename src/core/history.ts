import type { ClassRecord, ClassVersion } from './registry.ts'
import type { ClassSnapshot } from './transaction.ts'

/** One class in a committed step: the version before and after. `from` is undefined for a new class. */
export interface StepEntry {
  record: ClassRecord
  from: ClassVersion | undefined
  to: ClassVersion
  /** The class as it was before the swap touched it (undefined for a class the swap created). */
  snapshot?: ClassSnapshot | undefined
  /** Static data keys the swap wrote: a rollback restores these and leaves kept state alone. */
  statics?: ReadonlySet<PropertyKey> | undefined
}

/** One committed swap: dynpatch's history entry, undone by `rollback()`. */
export interface Step {
  id: number
  modules: string[]
  entries: StepEntry[]
  at: number
  /** What undoing this step runs besides restoring classes (module state: exported functions' bodies). */
  rollback: Array<() => void>
}

/**
 * A bounded undo stack. Dropping the oldest step drops its references to old versions, so their
 * classes (and the modules that made them) can be collected.
 */
export class History {
  #steps: Step[] = []
  #nextId = 1
  limit: number

  constructor(limit: number) {
    this.limit = limit
  }

  push(modules: string[], entries: StepEntry[], at: number, rollback: Array<() => void> = []): Step {
    const step: Step = { id: this.#nextId++, modules, entries, at, rollback }
    this.#steps.push(step)
    while (this.#steps.length > this.limit) this.#steps.shift()
    return step
  }

  pop(): Step | undefined {
    return this.#steps.pop()
  }

  /** Put a step back after a rollback of it failed. */
  restore(step: Step): void {
    this.#steps.push(step)
  }

  get steps(): readonly Step[] {
    return this.#steps
  }

  setLimit(limit: number): void {
    this.limit = limit
    while (this.#steps.length > limit) this.#steps.shift()
  }
}
