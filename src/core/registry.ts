import { cloneData, staticMembers } from './members.ts'
import { createTrampoline } from './trampoline.ts'
import type { AnyClass, ReloadableOptions, TransformInfo } from './types.ts'

/** A `static #x` of one version, read and written through closures the transform writes into the body. */
export interface PrivateStatic {
  hash: string
  get(): unknown
  set(value: unknown): void
}

/** One evaluated version of a class, with what was declared when it was defined. */
export interface ClassVersion {
  cls: AnyClass
  /** 1 for the first load, counting up with every committed swap. */
  number: number
  /** Whether the hotclass transform lowered this version (its statics and blocks are known from the AST). */
  transformed: boolean
  /** Static data the class body declares, by key, with the digest of each declaration's text. */
  staticHashes: Map<PropertyKey, string>
  /**
   * Static data values as declared, for versions the transform did not lower: read right after the class
   * was defined, the base of the three-way merge by value.
   */
  declaredStatics: Map<PropertyKey, unknown>
  /** Digests of the static blocks this version declares: an unedited block does not run again. */
  blocks: Set<string>
  /** `static #x` declarations, so an unedited one carries its value to the next version. */
  privates: Map<string, PrivateStatic>
  /** Instance field initialisers, from the build transform, in declaration order. */
  fields: Record<string, (this: object) => unknown> | undefined
  /** `#private` instance members the class declares (from the AST), undefined without the transform. */
  instancePrivates: string[] | undefined
  /** Instance fields with computed keys, as written (not given to live instances). */
  computedFields: string[] | undefined
  /** Instance fields only the class body can evaluate (not given to live instances). */
  bodyFields: string[] | undefined
  /** The digest of the class's other class decorators' text (transformed versions). */
  classDecorators: string | undefined
  /** Digests of its members as written, from the transform (`TransformInfo.members`). */
  members: Record<string, string> | undefined
  /** A class decorator returned another class for this version (the binding holds that one). */
  replacedByDecorator: boolean
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
  /** Whether live instances are remembered (`track` is fixed by the first version). */
  tracked: boolean
  /** Point `new canonical()` at another version's constructor. */
  setImpl(cls: AnyClass): void
  /** Whether tracking stopped for this class because it makes objects too fast (trampoline.ts). */
  churning(): boolean
}

const records = new Map<string, ClassRecord>()
const byCanonical = new WeakMap<object, ClassRecord>()
/** Records by module id, so a swap looks only at its own modules' classes (never at the whole registry). */
const byModule = new Map<string, Set<ClassRecord>>()

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
  transformed: boolean,
): ClassVersion {
  return {
    cls,
    number,
    transformed,
    staticHashes: new Map(),
    declaredStatics: new Map(),
    blocks: new Set(),
    privates: new Map(),
    fields: info?.fields,
    instancePrivates: info?.privates,
    computedFields: info?.computedFields,
    bodyFields: info?.bodyFields,
    classDecorators: info?.classDecorators,
    members: info?.members,
    replacedByDecorator: false,
    options,
  }
}

/** Record what an untransformed version declares as static data, by value (read once it is defined). */
export function readDeclaredStatics(version: ClassVersion): void {
  for (const [key, desc] of staticMembers(version.cls)) {
    if ('value' in desc && typeof desc.value !== 'function') version.declaredStatics.set(key, cloneData(desc.value))
  }
}

/** Whether `cls` extends nothing reloadable: its trampoline is the one that remembers each object. */
function isRootMost(cls: AnyClass): boolean {
  for (let p = Object.getPrototypeOf(cls) as object | null; p && p !== Function.prototype; p = Object.getPrototypeOf(p))
    if (byCanonical.has(p)) return false
  return true
}

/** Create the record and canonical class for a class seen for the first time (members are adopted by the caller). */
export function createRecord(
  key: string,
  name: string,
  version: ClassVersion,
  options: Readonly<ReloadableOptions>,
  module: string | undefined,
): ClassRecord {
  const tracked = options.track !== false
  // The class's own `name`, as in plain code: a class expression handed to `reloadable()` is anonymous ('')
  // although its record is known by the binding's name.
  const { canonical, setImpl, churning } = createTrampoline(
    version.cls,
    version.cls.name,
    tracked,
    isRootMost(version.cls),
  )
  return {
    key,
    name,
    module,
    canonical,
    current: version,
    tracked,
    setImpl: (cls) => setImpl(cls, isRootMost(cls)),
    churning,
  }
}

export function register(record: ClassRecord): void {
  records.set(record.key, record)
  byCanonical.set(record.canonical, record)
  if (record.module === undefined) return
  let set = byModule.get(record.module)
  if (!set) byModule.set(record.module, (set = new Set()))
  set.add(record)
}

export function unregister(record: ClassRecord): void {
  if (records.get(record.key) === record) records.delete(record.key)
  byCanonical.delete(record.canonical)
  if (record.module !== undefined) byModule.get(record.module)?.delete(record)
}

/** The classes a module defined. */
export function recordsOfModule(module: string): ReadonlySet<ClassRecord> {
  return byModule.get(module) ?? new Set()
}

export function recordByKey(key: string): ClassRecord | undefined {
  return records.get(key)
}

/** The record of a canonical class, for tools holding the class itself. */
export function recordOf(canonical: object): ClassRecord | undefined {
  return byCanonical.get(canonical)
}

/**
 * The root-most reloadable class of `record`'s chain: live instances are tracked (or not) through it,
 * whatever a subclass's own `track` says.
 */
export function rootRecord(record: ClassRecord): ClassRecord {
  let root = record
  for (
    let p = Object.getPrototypeOf(record.canonical) as object | null;
    p;
    p = Object.getPrototypeOf(p) as object | null
  ) {
    const r = byCanonical.get(p)
    if (r) root = r
  }
  return root
}

/** Whether a swap reaches `record`'s live instances: its root-most class tracks them, and still does. */
export function reachesInstances(record: ClassRecord): boolean {
  const root = rootRecord(record)
  return root.tracked && !root.churning()
}

export function allRecords(): IterableIterator<ClassRecord> {
  return records.values()
}
