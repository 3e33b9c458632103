import { logger } from '../env.ts'
import { cloneData, comparableText } from '../members.ts'
import { isPlainData, mergeData } from './data.ts'
import { Cell } from './cell.ts'
import { functionCell, setImplementation } from './function-cell.ts'
import type { FunctionCell } from './function-cell.ts'
import { atCommit, moduleJournal, runUserEffect } from './journal.ts'
import { journalData } from '../journal-data.ts'
import { staleHandOuts } from '../references.ts'
import type { ModuleStateChange } from '../types.ts'

const log = logger('core')

/** What the transform declares about one version of a module, so removals are known at its start. */
export interface ModuleMeta {
  /** Top-level variables the store keeps. */
  vars: string[]
  /** Top-level functions given a stable identity. */
  fns: string[]
  /** Keys of the `once(...)` blocks in the module. */
  once: string[]
}

/** What one evaluation of a module did to its state, compared with the version before. */
/**
 * What one evaluation did to its module's bindings: the report's `ModuleStateChange` without the module
 * id (one type, so the two cannot drift). `added`: bindings and functions the previous version did not
 * declare; `removed`: those it declared and this one does not; `changed`: variables re-initialised
 * because their declaration (or one it reads) was edited, functions whose body changed; `kept`:
 * variables whose declaration is unchanged, which kept their value.
 */
export type ModuleChange = Omit<ModuleStateChange, 'module'>

interface OnceRecord {
  dispose: (() => void) | undefined
}

/**
 * Everything hotclass keeps for one module across its evaluations. The transform calls these methods
 * from the code it injects; nothing here is meant for users (they have `once`, `dispose`, `inspectModules`).
 */
export class ModuleStore {
  version = 0
  meta: ModuleMeta = { vars: [], fns: [], once: [] }
  last: ModuleChange = { added: [], removed: [], changed: [], kept: [], warnings: [] }
  readonly cells = new Map<string, Cell>()
  readonly functions = new Map<string, FunctionCell>()
  /** The transform's digest of each top-level function as last written (`fn`). */
  private readonly fnDigests = new Map<string, string>()
  /** Declaration hash per key (a binding name, or `a,b` for a destructuring declaration). */
  readonly hashes = new Map<string, string>()
  /** The value each declaration produced, cloned: the base of the next three-way data merge. */
  readonly bases = new Map<string, unknown>()
  readonly onces = new Map<string, OnceRecord>()
  /** `dispose()` callbacks of the version now live. */
  disposers: Array<() => void> = []
  /** Names (re)initialised by the evaluation running now: declarations that read them re-run too. */
  private fresh = new Set<string>()
  private pendingHash = new Map<string, string>()

  constructor(readonly id: string) {}

  /** A new evaluation of the module starts: what the previous version leaves behind goes at commit. */
  begin(meta: ModuleMeta): void {
    const j = moduleJournal(this.id)
    const before = { version: this.version, meta: this.meta, last: this.last, disposers: this.disposers }
    const cellValues = j ? [...this.cells].map(([name, c]) => [name, c, c.v] as const) : []
    j?.undo.push(() => {
      // The failed version's own disposers ran already (newest first, see dispose()); the old one carries on.
      Object.assign(this, before)
      for (const [name, cell, v] of cellValues) {
        cell.v = v
        this.broadcast(name, v)
      }
    })
    // Undoing this swap later (rollback()) puts the module's record back; its state stays as it is now.
    j?.rollback.push(() => {
      this.version = before.version
      this.meta = before.meta
      this.last = before.last
    })
    const firstLoad = this.version === 0
    this.version++
    this.fresh = new Set()
    this.last = {
      added: firstLoad ? [] : [...meta.vars, ...meta.fns].filter((n) => !this.has(n)),
      removed: [...this.meta.vars, ...this.meta.fns].filter((n) => !meta.vars.includes(n) && !meta.fns.includes(n)),
      changed: [],
      kept: [],
      warnings: [],
    }
    if (this.last.removed.length > 0) log('%s: no longer declares %o', this.id, this.last.removed)
    j?.modules.set(this.id, () => ({ module: this.id, ...this.last }))
    this.meta = meta
    // The replaced version's disposers and the once-blocks this version no longer has run when the
    // swap commits (at once outside a swap), so a failed swap leaves the old version fully set up.
    const disposers = this.disposers
    this.disposers = []
    const stale = [...this.onces.keys()].filter((k) => !meta.once.includes(k))
    atCommit(j, () => {
      for (const d of disposers) runUserEffect(d, `a dispose() callback of ${this.id}`)
      for (const key of stale) {
        const record = this.onces.get(key)
        this.onces.delete(key)
        if (record?.dispose) runUserEffect(record.dispose, `the disposer of a once() block in ${this.id}`)
      }
    })
  }

  private has(name: string): boolean {
    return this.hashes.has(name) || this.functions.has(name)
  }

  /** The cell of a binding, created empty the first time. */
  cell(name: string): Cell {
    let cell = this.cells.get(name)
    if (!cell) {
      cell = new Cell()
      this.cells.set(name, cell)
    }
    return cell
  }

  /**
   * Whether a declaration keeps its stored value: its text is unchanged and nothing it reads was
   * re-initialised in this evaluation. `key` is a binding name, or the names of a destructuring joined by `,`.
   */
  keep(key: string, hash: string, deps: readonly string[] = [], owned = false): boolean {
    const names = key.split(',')
    if (this.hashes.get(key) === hash && !deps.some((d) => this.fresh.has(d))) {
      this.last.kept.push(...names)
      // A kept object is state the new version's code may change as it evaluates (a static block
      // registering a class in a kept array): a swap that fails puts its contents back.
      const j = owned ? moduleJournal(this.id) : undefined
      if (j) {
        for (const name of names) {
          const value = this.cells.get(name)?.v
          if (typeof value === 'object' && value !== null) j.undo.push(journalData(value))
        }
      }
      return true
    }
    if (this.hashes.has(key)) this.last.changed.push(...names)
    // Unedited, but made from something edited: an object made by `new Navigation()` is made again, and
    // the state the old one held is gone. Said, with what keeps it: a reloadable class.
    if (this.hashes.get(key) === hash) {
      const edited = deps.filter((d) => this.fresh.has(d))
      const classes = edited.filter((d) => typeof this.cells.get(d)?.v === 'function')
      for (const name of names) {
        const old = this.cells.get(name)?.v
        if (typeof old !== 'object' || old === null || isPlainData(old)) continue
        this.last.warnings.push(
          `${name} was made again because ${edited.join(', ')} changed: the object it held, and its state, are gone${classes.length > 0 ? `; mark ${classes.join(', ')} @reloadable() to keep the object and patch its class` : ''}`,
        )
      }
    }
    for (const name of names) this.fresh.add(name)
    this.pendingHash.set(key, hash)
    return false
  }

  /** The stored value of a kept declaration. */
  get(name: string): unknown {
    return this.cells.get(name)?.v
  }

  /**
   * Store a (re)initialised declaration's value and return the live one. When both the old and the new
   * value are plain data, the old object is updated in place and stays the live value (identity kept).
   */
  init(name: string, value: unknown): unknown {
    const cell = this.cell(name)
    const j = moduleJournal(this.id)
    const old = cell.v
    const had = this.hashes.get(name)
    const base = this.bases.get(name)
    j?.undo.push(() => {
      cell.v = old
      restore(this.bases, name, base)
      this.broadcast(name, old)
    })
    let live = value
    // A frozen object (`Object.freeze({...})`) cannot be updated in place: the new value replaces it.
    if (
      had !== undefined &&
      isPlainData(old) &&
      isPlainData(value) &&
      Object.isExtensible(old) &&
      Array.isArray(old) === Array.isArray(value)
    ) {
      mergeData(old, base, value, j?.undo)
      live = old
    }
    // A plain class replaced by an edited one: methods of the old one handed out earlier stay old.
    if (had !== undefined && typeof old === 'function' && old !== live && 'prototype' in old) {
      this.last.warnings.push(...staleHandOuts(old))
    }
    cell.v = live
    this.bases.set(name, isPlainData(value) ? cloneData(value) : value)
    this.declared(name)
    this.broadcast(name, live)
    return live
  }

  /** A declaration was evaluated (a destructuring one assigns its cells itself): record its hash. */
  declared(key: string): void {
    const hash = this.pendingHash.get(key)
    if (hash === undefined) return
    const had = this.hashes.get(key)
    moduleJournal(this.id)?.undo.push(() => restore(this.hashes, key, had))
    this.pendingHash.delete(key)
    this.hashes.set(key, hash)
  }

  /**
   * Register a top-level function's implementation; returns its cell, whose `w` is the stable wrapper.
   * `digest` is the transform's digest of the declaration as written: the report compares it, and the
   * function's text only where a version has none.
   */
  fn(name: string, impl: Function, digest?: string): FunctionCell {
    const j = moduleJournal(this.id)
    const before = this.fnDigests.get(name)
    if (digest !== undefined) {
      this.fnDigests.set(name, digest)
      j?.undo.push(() => restore(this.fnDigests, name, before))
      j?.rollback.push(() => restore(this.fnDigests, name, before))
    }
    let cell = this.functions.get(name)
    if (!cell) {
      const created = functionCell(impl)
      this.functions.set(name, created)
      j?.undo.push(() => this.functions.delete(name))
      return created
    }
    const from = cell.v
    if (from === impl) return cell
    const edited = before !== undefined && digest !== undefined ? before !== digest : source(from) !== source(impl)
    if (edited) this.last.changed.push(name)
    const target = cell
    j?.undo.push(() => setImplementation(target, from))
    j?.rollback.push(() => setImplementation(target, from))
    setImplementation(cell, impl)
    if (cell.w && cell.w.length !== impl.length) Object.defineProperty(cell.w, 'length', { value: impl.length })
    return cell
  }

  /** Give a freshly made wrapper the implementation's arity. */
  wrap(wrapper: Function, cell: FunctionCell): Function {
    Object.defineProperty(wrapper, 'length', { value: cell.v.length })
    return wrapper
  }

  /**
   * Register this version's setter of an exported binding, and bring it up to date. The transform calls
   * it at the end of the module, so a write never reaches a binding still in its temporal dead zone and a
   * version that fails to evaluate never registers. The module keeps `set` in its own scope: it lives as
   * long as that version does.
   */
  mirror(name: string, set: (value: unknown) => void): void {
    const cell = this.cell(name)
    const ref = new WeakRef(set)
    cell.mirrors.push(ref)
    cell.changed()
    set(cell.v)
    moduleJournal(this.id)?.undo.push(() => {
      cell.mirrors = cell.mirrors.filter((m) => m !== ref)
      cell.changed()
    })
  }

  /** Pass a value to the export of `name` in every version that registered one. */
  broadcast(name: string, value: unknown): void {
    this.cells.get(name)?.broadcast(value)
  }
}

function restore<V>(map: Map<string, V>, key: string, value: V | undefined): void {
  if (value === undefined) map.delete(key)
  else map.set(key, value)
}

function source(fn: Function): string {
  return comparableText(Function.prototype.toString.call(fn))
}

const stores = new Map<string, ModuleStore>()

/** The store of a module id, created on its first evaluation. */
export function storeOf(id: string): ModuleStore | undefined {
  return stores.get(id)
}

export function allStores(): IterableIterator<ModuleStore> {
  return stores.values()
}

/**
 * Called first thing by every transformed module (the transform injects it): the module's store,
 * after starting a new evaluation. Not for users.
 */
// oxlint-disable-next-line no-underscore-dangle -- injected by the transform; the underscores say it is not for users
export function __module(id: string, meta: ModuleMeta): ModuleStore {
  let store = stores.get(id)
  if (!store) {
    store = new ModuleStore(id)
    stores.set(id, store)
  }
  store.begin(meta)
  return store
}
