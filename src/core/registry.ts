import { installLazyFields } from './fields.ts'
import { cloneData, prototypeMembers, staticMembers } from './members.ts'
import { applyMetadata, snapshotMetadata } from './metadata.ts'
import { createTrampoline } from './trampoline.ts'
import type { AnyClass, ReloadableOptions, TransformInfo } from './types.ts'

/** One evaluated version of a class, with what was declared when it was defined. */
export interface ClassVersion {
  cls: AnyClass
  /** 1 for the first load, counting up with every committed swap. */
  number: number
  /** Static data values as declared, read right after the class was defined (the three-way merge's base). */
  declaredStatics: Map<PropertyKey, unknown>
  /** Instance field initialisers, from the build transform. */
  fields: Record<string, (this: object) => unknown> | undefined
  /** The options this version's decorator was given: its `migrate` hook and statics policy apply. */
  options: Readonly<ReloadableOptions>
}

/** Everything hotclass keeps about one reloadable class. */
export interface ClassRecord {
  key: string
  name: string
  module: string | undefined
  canonical: AnyClass
  current: ClassVersion
  /** The first version's options: `track` is fixed when the canonical class is made. */
  options: Readonly<ReloadableOptions>
  /** Weak references to live instances, when `track` is on. */
  instances: Array<WeakRef<object>> | undefined
  /** Point `new canonical()` at another version's constructor. */
  setImpl(cls: AnyClass): void
}

const records = new Map<string, ClassRecord>()
const byCanonical = new WeakMap<object, ClassRecord>()

/** The registry key: explicit id, else module id + class name, else the class name. */
export function keyOf(name: string, options: ReloadableOptions, info: TransformInfo | undefined): string {
  if (options.id !== undefined) return options.id
  return info?.module ? `${info.module}#${name}` : name
}

export function versionOf(
  cls: AnyClass,
  number: number,
  info: TransformInfo | undefined,
  options: Readonly<ReloadableOptions>,
): ClassVersion {
  const declaredStatics = new Map<PropertyKey, unknown>()
  for (const [key, desc] of staticMembers(cls)) {
    if ('value' in desc && typeof desc.value !== 'function') declaredStatics.set(key, cloneData(desc.value))
  }
  return { cls, number, declaredStatics, fields: info?.fields, options }
}

/** Create the record and canonical class for a class seen for the first time. */
export function createRecord(
  key: string,
  cls: AnyClass,
  options: Readonly<ReloadableOptions>,
  info: TransformInfo | undefined,
): ClassRecord {
  const instances: Array<WeakRef<object>> | undefined = options.track ? [] : undefined
  const onConstruct = instances ? (o: object) => void instances.push(new WeakRef(o)) : undefined
  const { canonical, setImpl } = createTrampoline(cls, cls.name, onConstruct)
  const record: ClassRecord = {
    key,
    name: cls.name,
    module: info?.module,
    canonical,
    current: versionOf(cls, 1, info, options),
    options,
    instances,
    setImpl,
  }
  adopt(record)
  return record
}

/** Give a fresh canonical class the first version's members, statics, field accessors and metadata. */
function adopt(record: ClassRecord): void {
  const { canonical, current } = record
  const proto = canonical.prototype as object
  const members = prototypeMembers(current.cls.prototype)
  for (const [key, desc] of members) Object.defineProperty(proto, key, desc)
  installLazyFields(proto, current.fields, members)
  const statics = staticMembers(current.cls)
  for (const [key, desc] of statics) Object.defineProperty(canonical, key, desc)
  applyMetadata(canonical, snapshotMetadata(current.cls, statics.keys()))
  applyMetadata(proto, snapshotMetadata(current.cls.prototype, members.keys()))
}

export function register(record: ClassRecord): void {
  records.set(record.key, record)
  byCanonical.set(record.canonical, record)
}

export function unregister(record: ClassRecord): void {
  if (records.get(record.key) === record) records.delete(record.key)
  byCanonical.delete(record.canonical)
}

export function recordByKey(key: string): ClassRecord | undefined {
  return records.get(key)
}

/** The record of a canonical class, for tools holding the class itself. */
export function recordOf(canonical: object): ClassRecord | undefined {
  return byCanonical.get(canonical)
}

export function allRecords(): IterableIterator<ClassRecord> {
  return records.values()
}

/** Live tracked instances, pruning the references whose objects were collected. */
export function liveInstances(record: ClassRecord): object[] {
  if (!record.instances) return []
  const live: object[] = []
  let w = 0
  for (const ref of record.instances) {
    const o = ref.deref()
    if (o === undefined) continue
    live.push(o)
    record.instances[w++] = ref
  }
  record.instances.length = w
  return live
}

/** Forget every class. For tests that need a clean registry; live canonical classes keep working. */
export function clearRegistry(): void {
  records.clear()
}
