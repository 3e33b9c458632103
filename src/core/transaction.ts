import { errors, HotclassError } from './errors.ts'
import { giveFields, undoWrites } from './fields.ts'
import type { Before } from './fields.ts'
import { instancesOf } from './instances.ts'
import { allOwn, memberName, prototypeMembers, staticMembers } from './members.ts'
import type { Members } from './members.ts'
import { journalData } from './journal-data.ts'
import { NATURAL_KEYS, putInOrder } from './key-order.ts'
import { applyMetadata, snapshotMetadata } from './metadata.ts'
import type { MetadataSnapshot } from './metadata.ts'
import { emptyChange, metadataKeys } from './patch.ts'
import { recordsOfModule, unregister } from './registry.ts'
import type { ClassRecord, ClassVersion } from './registry.ts'
import type { StepEntry } from './history.ts'
import type { ClassChange } from './types.ts'

/** Everything about one class that a swap may touch, taken before it touches it, to put back exactly. */
export interface ClassSnapshot {
  record: ClassRecord
  version: ClassVersion
  proto: Members
  ctor: Members
  protoParent: object | null
  ctorParent: object | null
  metaClass: MetadataSnapshot
  metaProto: MetadataSnapshot
}

export function snapshot(record: ClassRecord): ClassSnapshot {
  const canonical = record.canonical
  const proto = canonical.prototype as object
  const keys = metadataKeys(record.current)
  const protoMembers = allOwn(proto)
  const ctorMembers = allOwn(canonical)
  return {
    record,
    version: record.current,
    proto: protoMembers,
    ctor: ctorMembers,
    protoParent: Object.getPrototypeOf(proto) as object | null,
    ctorParent: Object.getPrototypeOf(canonical) as object | null,
    metaClass: snapshotMetadata(canonical, new Set([...ctorMembers.keys(), ...keys.ctor])),
    metaProto: snapshotMetadata(proto, new Set([...protoMembers.keys(), ...keys.proto])),
  }
}

function isData(d: PropertyDescriptor | undefined): boolean {
  return d !== undefined && 'value' in d && typeof d.value !== 'function'
}

const FIXED = NATURAL_KEYS

/**
 * Make `target`'s own properties exactly `own`, in `own`'s order (a swap deletes and re-adds members,
 * and reflection lists keys in the order they were added). Keys for which `keep` says so are left as
 * they are, where they are.
 */
function restoreOwn(target: object, own: Members, keep?: (key: PropertyKey) => boolean): void {
  const wanted = [...own.keys()].filter((k) => !keep?.(k))
  const present = Reflect.ownKeys(target).filter((k) => !keep?.(k) && own.has(k))
  // Keys from the first one out of place on are deleted and defined again, in the snapshot's order.
  let same = 0
  while (same < present.length && present[same] === wanted[same]) same++
  const redo = new Set(wanted.slice(same))
  for (const key of Reflect.ownKeys(target)) {
    if (keep?.(key) || FIXED.has(key)) continue
    if (!own.has(key) || redo.has(key)) Reflect.deleteProperty(target, key)
  }
  for (const key of wanted) {
    const current = Object.getOwnPropertyDescriptor(target, key)
    if (current && !current.configurable) continue // `prototype` of a class: never changed by patching
    Object.defineProperty(target, key, own.get(key)!)
  }
}

/**
 * Put a class back as the snapshot saw it. `statics`, when given, names the static data keys the swap
 * wrote: only those are restored, so runtime state the game changed since (a score, a registry) stays,
 * as it does for statics the swap kept. Without it every own property is restored (a failed swap).
 */
export function restore(s: ClassSnapshot, statics?: ReadonlySet<PropertyKey>): void {
  const canonical = s.record.canonical
  const proto = canonical.prototype as object
  const touchedProto = new Set([...Reflect.ownKeys(proto), ...s.proto.keys(), ...metadataKeys(s.record.current).proto])
  const touchedCtor = new Set([...Reflect.ownKeys(canonical), ...s.ctor.keys(), ...metadataKeys(s.record.current).ctor])
  restoreOwn(proto, s.proto)
  const keepData = statics
    ? (key: PropertyKey): boolean => {
        if (statics.has(key) || FIXED.has(key)) return false
        const live = Object.getOwnPropertyDescriptor(canonical, key)
        const was = s.ctor.get(key)
        return (live === undefined || isData(live)) && (was === undefined || isData(was))
      }
    : undefined
  restoreOwn(canonical, s.ctor, keepData)
  // Kept static data stayed where it was; the keys around it were defined again: put every key back in
  // the order the snapshot saw (runtime additions after them).
  if (keepData) putInOrder(canonical, [...s.ctor.keys()])
  if (Object.getPrototypeOf(proto) !== s.protoParent) Object.setPrototypeOf(proto, s.protoParent)
  if (Object.getPrototypeOf(canonical) !== s.ctorParent) Object.setPrototypeOf(canonical, s.ctorParent)
  applyMetadata(canonical, s.metaClass, touchedCtor)
  applyMetadata(proto, s.metaProto, touchedProto)
  s.record.setImpl(s.version.cls)
  s.record.current = s.version
}

/** One class defined inside a transaction, once its body and decorators are done. */
export interface DefinedClass {
  record: ClassRecord
  from: ClassVersion | undefined
  to: ClassVersion
  change: ClassChange
  /** Static data keys the new version wrote (for an exact rollback). */
  statics: Set<PropertyKey>
}

/** What a committed transaction did: history entries and report changes. */
export interface CommitResult {
  entries: StepEntry[]
  changes: ClassChange[]
  /** Undo steps of other layers for `rollback()`, carried by the history step. */
  rollback: Array<() => void>
}

let open: Transaction | undefined

/** The transaction evaluating `module` now, if any: its class definitions and module state belong to it. */
export function transactionFor(module: string | undefined): Transaction | undefined {
  return open?.covers(module) ? open : undefined
}

/**
 * An all-or-nothing swap across every class of every module it evaluates. Each new version is made live
 * the moment its module defines it (so the rest of the swap sees it, as a cold load would), after the
 * class was snapshotted; if anything fails (a module throws, a check refuses, a migration throws) every
 * snapshot and every instance write is restored and the error reported. The transaction covers only the
 * modules the swap imports: an unrelated module imported for the first time meanwhile (a lazy `import()`)
 * is not part of it.
 */
export class Transaction {
  /** Module ids this transaction covers; undefined covers every definition (an implicit one-class swap). */
  readonly modules: ReadonlySet<string> | undefined
  readonly snapshots = new Map<ClassRecord, ClassSnapshot>()
  readonly created: ClassRecord[] = []
  readonly defined: DefinedClass[] = []
  /** Undo steps of other layers (module state), run newest first on abort. */
  readonly undo: Array<() => void> = []
  /** Effects that wait for the commit (the replaced module versions' disposers). */
  readonly onCommit: Array<() => void> = []
  /** What `rollback()` of this swap runs besides restoring classes, newest first (exported functions' bodies). */
  readonly onRollback: Array<() => void> = []
  #aborted = false

  constructor(modules?: Iterable<string>) {
    this.modules = modules ? new Set(modules) : undefined
  }

  covers(module: string | undefined): boolean {
    if (this.#aborted) return false
    return this.modules === undefined || (module !== undefined && this.modules.has(module))
  }

  /** Make this the transaction that module evaluations find until `close()`. */
  begin(): this {
    // oxlint-disable-next-line no-this-alias -- the module-level slot is how class definitions find the swap
    open = this
    return this
  }

  close(): void {
    if (open === this) open = undefined
  }

  /** Snapshot a class before its first change in this transaction. */
  touch(record: ClassRecord): void {
    if (!this.snapshots.has(record)) this.snapshots.set(record, snapshot(record))
  }

  /** A class seen for the first time inside this transaction: forgotten again on abort. */
  noteCreated(record: ClassRecord): void {
    this.created.push(record)
  }

  /** Put everything back as it was before the transaction. Safe to call more than once. */
  abort(): void {
    this.close()
    if (this.#aborted) return
    this.#aborted = true
    // One journal in the order things happened (module state while evaluating, fields given at commit,
    // then migrations), undone newest first; then the classes as their snapshots saw them.
    for (const undo of this.undo.toReversed()) undo()
    for (const s of [...this.snapshots.values()].toReversed()) restore(s)
    for (const record of this.created) unregister(record)
  }

  /**
   * Finish: run `migrate` hooks on live instances, then report. Throws a HotclassError after restoring
   * everything when a hook throws.
   */
  commit(): CommitResult {
    this.close()
    let current: ClassRecord | undefined
    try {
      // Fields first, for every class, once every base is final: an instance gets what its final chain declares.
      const touched = new Map<ClassRecord, Before>()
      for (const [record, snap] of this.snapshots)
        touched.set(record, { version: snap.version, protoParent: snap.protoParent })
      const given = giveFields(touched)
      this.undo.push(() => undoWrites(given.writes), ...given.undo)
      // rollback() takes the given fields back where they still hold what the swap gave (a value the
      // game changed since is state), and the re-targeted field functions.
      this.onRollback.push(() => undoWrites(given.writes, true), ...given.undo)
      for (const [record, texts] of given.warnings) {
        const change = (this.defined.find((d) => d.record === record) ?? this.defined.find((d) => d.from))?.change
        change?.warnings.push(...texts)
      }
      for (const d of this.defined) {
        current = d.record
        if (d.from) migrateInstances(d, this.undo)
      }
    } catch (cause) {
      this.abort()
      if (cause instanceof HotclassError) throw cause
      throw errors.patchFailed(current?.name ?? 'a class', cause)
    }
    const entries: StepEntry[] = this.defined.map((d) => ({
      record: d.record,
      from: d.from,
      to: d.to,
      snapshot: this.snapshots.get(d.record),
      statics: d.statics,
    }))
    const changes = this.defined.map((d) => d.change)
    changes.push(...this.removedClasses())
    for (const effect of this.onCommit) effect()
    return { entries, changes, rollback: this.onRollback }
  }

  /** Classes the covered modules defined before and no longer define (deleted or renamed). */
  private removedClasses(): ClassChange[] {
    if (!this.modules) return []
    const defined = new Set(this.defined.map((d) => d.record))
    const out: ClassChange[] = []
    for (const module of this.modules) {
      for (const record of recordsOfModule(module)) {
        if (!defined.has(record)) out.push({ ...emptyChange(record), isRemoved: true })
      }
    }
    return out
  }
}

/** Run the user's `migrate` on every live instance, journaling each instance's own properties first. */
function migrateInstances(d: DefinedClass, undo: Array<() => void>): void {
  const migrate = d.to.options.migrate
  if (!migrate || !d.record.tracked) return
  for (const instance of instancesOf(d.record.canonical.prototype as object)) {
    undo.push(journalData(instance))
    try {
      migrate(instance, { change: d.change, version: d.to.number })
    } catch (cause) {
      throw errors.migrationFailed(d.record.name, cause)
    }
  }
}

export function newClassChange(record: ClassRecord): ClassChange {
  const cls = record.current.cls
  const added = [
    ...[...prototypeMembers(cls.prototype).keys()].map((k) => memberName(k)),
    ...[...staticMembers(cls).keys()].map((k) => memberName(k, true)),
    ...[...record.current.staticHashes.keys()].map((k) => memberName(k, true)),
  ]
  return { ...emptyChange(record), added: [...new Set(added)], isNew: true }
}
