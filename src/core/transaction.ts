import { errors, HotclassError } from './errors.ts'
import { arrowFieldSources } from './fields.ts'
import { allOwn, memberName, privateNames, prototypeMembers, staticMembers } from './members.ts'
import type { Members } from './members.ts'
import { applyMetadata, snapshotMetadata } from './metadata.ts'
import type { MetadataSnapshot } from './metadata.ts'
import { patchClass } from './patch.ts'
import { liveInstances, unregister } from './registry.ts'
import type { ClassRecord, ClassVersion } from './registry.ts'
import type { StepEntry } from './history.ts'
import type { ClassChange } from './types.ts'

/** Everything about one class that patching may touch, to put back exactly on failure. */
interface ClassSnapshot {
  record: ClassRecord
  version: ClassVersion
  proto: Members
  ctor: Members
  protoParent: object | null
  ctorParent: object | null
  metaClass: MetadataSnapshot
  metaProto: MetadataSnapshot
}

interface InstanceSnapshot {
  instance: object
  own: Members
  parent: object | null
}

function snapshot(record: ClassRecord): ClassSnapshot {
  const canonical = record.canonical
  const proto = canonical.prototype as object
  const protoMembers = allOwn(proto)
  const ctorMembers = allOwn(canonical)
  return {
    record,
    version: record.current,
    proto: protoMembers,
    ctor: ctorMembers,
    protoParent: Object.getPrototypeOf(proto) as object | null,
    ctorParent: Object.getPrototypeOf(canonical) as object | null,
    metaClass: snapshotMetadata(canonical, ctorMembers.keys()),
    metaProto: snapshotMetadata(proto, protoMembers.keys()),
  }
}

function restoreOwn(target: object, own: Members): void {
  for (const key of Reflect.ownKeys(target)) {
    if (!own.has(key)) Reflect.deleteProperty(target, key)
  }
  for (const [key, desc] of own) {
    const current = Object.getOwnPropertyDescriptor(target, key)
    if (current && !current.configurable) continue // `prototype` of a class: never changed by patching
    Object.defineProperty(target, key, desc)
  }
}

function restore(s: ClassSnapshot): void {
  const canonical = s.record.canonical
  const proto = canonical.prototype as object
  const touchedProto = new Set([...Reflect.ownKeys(proto), ...s.proto.keys()])
  const touchedCtor = new Set([...Reflect.ownKeys(canonical), ...s.ctor.keys()])
  restoreOwn(proto, s.proto)
  restoreOwn(canonical, s.ctor)
  if (Object.getPrototypeOf(proto) !== s.protoParent) Object.setPrototypeOf(proto, s.protoParent)
  if (Object.getPrototypeOf(canonical) !== s.ctorParent) Object.setPrototypeOf(canonical, s.ctorParent)
  applyMetadata(canonical, s.metaClass, touchedCtor)
  applyMetadata(proto, s.metaProto, touchedProto)
  s.record.setImpl(s.version.cls)
  s.record.current = s.version
}

/** What a committed transaction did: history entries and report changes. */
export interface CommitResult {
  entries: StepEntry[]
  changes: ClassChange[]
}

let open: Transaction | undefined

/** The transaction a module evaluation is running inside, if any: the decorator stages into it. */
export function openTransaction(): Transaction | undefined {
  return open
}

/**
 * An all-or-nothing swap across every class of every module in it. Decorators stage new versions while
 * modules evaluate; `commit()` checks them all, snapshots every class it will touch, patches, runs
 * migrations, and on any failure restores every snapshot before reporting the coded error.
 */
export class Transaction {
  readonly staged = new Map<ClassRecord, ClassVersion>()
  readonly created: ClassRecord[] = []

  /** Make this the transaction that decorators stage into until `close()`. */
  begin(): this {
    // oxlint-disable-next-line no-this-alias -- the module-level slot is how decorators find the swap
    open = this
    return this
  }

  close(): void {
    if (open === this) open = undefined
  }

  stage(record: ClassRecord, version: ClassVersion): void {
    this.staged.set(record, version)
  }

  /** A class seen for the first time while this transaction was open: forgotten again on abort. */
  noteCreated(record: ClassRecord): void {
    this.created.push(record)
  }

  abort(): void {
    this.close()
    for (const record of this.created) unregister(record)
    this.staged.clear()
  }

  /** Apply every staged version. Throws a HotclassError after restoring everything on failure. */
  commit(): CommitResult {
    this.close()
    for (const [record, version] of this.staged) {
      const names = privateNames(version.cls)
      if (names.length > 0) {
        this.abort()
        throw errors.privateMembers(record.name, names)
      }
    }

    const snapshots: ClassSnapshot[] = []
    const instanceSnapshots: InstanceSnapshot[] = []
    const entries: StepEntry[] = []
    const changes: ClassChange[] = []
    let current: ClassRecord | undefined
    try {
      for (const [record, version] of this.staged) {
        current = record
        snapshots.push(snapshot(record))
        const from = record.current
        changes.push(patchClass(record, version))
        entries.push({ record, from, to: version })
      }
      for (const [i, entry] of entries.entries()) {
        current = entry.record
        migrateInstances(entry, changes[i]!, instanceSnapshots)
      }
    } catch (cause) {
      for (const s of instanceSnapshots.toReversed()) restoreInstance(s)
      for (const s of snapshots.toReversed()) restore(s)
      this.abort()
      if (cause instanceof HotclassError) throw cause
      throw errors.patchFailed(current?.name ?? 'a class', cause)
    }

    for (const record of this.created) {
      entries.push({ record, from: undefined, to: record.current })
      changes.push(newClassChange(record))
    }
    return { entries, changes }
  }
}

function restoreInstance(s: InstanceSnapshot): void {
  restoreOwn(s.instance, s.own)
  if (Object.getPrototypeOf(s.instance) !== s.parent) Object.setPrototypeOf(s.instance, s.parent)
}

/** Re-create changed arrow-function fields and run the user's `migrate` on every tracked live instance. */
function migrateInstances(entry: StepEntry, change: ClassChange, snapshots: InstanceSnapshot[]): void {
  const { record, from, to } = entry
  const migrate = to.options.migrate
  if (!record.instances) return
  const stale: string[] = []
  if (from && to.fields) {
    const before = arrowFieldSources(from)
    for (const [name, src] of arrowFieldSources(to)) {
      if (before.has(name) && before.get(name) !== src) stale.push(name)
    }
  }
  if (!migrate && stale.length === 0) return
  for (const instance of liveInstances(record)) {
    snapshots.push({ instance, own: allOwn(instance), parent: Object.getPrototypeOf(instance) as object | null })
    for (const name of stale) {
      Object.defineProperty(instance, name, {
        value: to.fields![name]!.call(instance),
        writable: true,
        enumerable: true,
        configurable: true,
      })
    }
    if (migrate) {
      try {
        migrate(instance, { change, version: to.number })
      } catch (cause) {
        throw errors.migrationFailed(record.name, cause)
      }
    }
  }
}

export function newClassChange(record: ClassRecord): ClassChange {
  const cls = record.current.cls
  const added = [
    ...[...prototypeMembers(cls.prototype).keys()].map((k) => memberName(k)),
    ...[...staticMembers(cls).keys()].map((k) => memberName(k, true)),
  ]
  return {
    id: record.key,
    name: record.name,
    added,
    removed: [],
    changed: [],
    baseChanged: false,
    isNew: true,
    warnings: [],
  }
}
