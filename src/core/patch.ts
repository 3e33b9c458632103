import { putInOrder } from './key-order.ts'
import { applyMetadata, snapshotMetadata } from './metadata.ts'
import { noteMethods } from './references.ts'
import { isCode, memberChanged, memberName, prototypeMembers, sameData, source, staticMembers } from './members.ts'
import type { Members } from './members.ts'
import type { ClassRecord, ClassVersion } from './registry.ts'
import { arrowFieldSources, boundMethodNames } from './fields.ts'
import type { ClassChange } from './types.ts'

/**
 * Patching one canonical class to a new version happens in two steps, because the class body itself
 * must see the live class: `patchCode` runs as soon as the new version's class is created (before its
 * static initialisers, static blocks and decorators), `settleStatics` once the body and its decorators
 * are done. Both run inside a transaction that snapshotted the class first and restores it on failure.
 * Cost is proportional to this class's members: subclasses inherit through the canonical prototype.
 */

/** Keys whose reflect-metadata belongs to a version: its members, its fields and its statics. */
export function metadataKeys(version: ClassVersion): { proto: Set<PropertyKey>; ctor: Set<PropertyKey> } {
  const proto = new Set<PropertyKey>(prototypeMembers(version.cls.prototype).keys())
  for (const name of Object.keys(version.fields ?? {})) proto.add(name)
  const ctor = new Set<PropertyKey>([...staticMembers(version.cls).keys(), ...version.staticHashes.keys()])
  return { proto, ctor }
}

/**
 * ScrubClass + copy + MonkeyPatchClass for one class: the prototype gets exactly the new version's
 * members (as descriptors, so accessors, symbols and enumerability survive), both [[Prototype]] links
 * follow the new base, static code is replaced, and construction goes through the new constructor.
 * Static data is left for the body to declare. `super` in copied methods resolves through the new
 * version's own prototype (its [[HomeObject]]), whose parent is the canonical base, because the module's
 * `extends` saw the canonical class. Returns what could not be removed (a non-configurable property the
 * game defined), for the report.
 */
export function patchCode(record: ClassRecord, next: ClassVersion, keepsClassDecorators = false): string[] {
  const prev = record.current
  const canonical = record.canonical
  const proto = canonical.prototype as object
  const warnings: string[] = []

  // Framework metadata: a transformed version's decorators write it again, onto the canonical class
  // itself; an untransformed version's decorators wrote it onto their own class, which is copied.
  const keys = metadataKeys(prev)
  if (next.transformed) {
    // The class's own metadata is written again by its class decorators, unless they do not run again.
    applyMetadata(canonical, keepsClassDecorators ? snapshotMetadata(canonical, []) : [], keys.ctor)
    applyMetadata(proto, [], keys.proto)
    if (Object.prototype.hasOwnProperty.call(canonical, METADATA)) Reflect.deleteProperty(canonical, METADATA)
  } else {
    const nextKeys = metadataKeys(next)
    applyMetadata(canonical, snapshotMetadata(next.cls, nextKeys.ctor), keys.ctor)
    applyMetadata(proto, snapshotMetadata(next.cls.prototype, nextKeys.proto), keys.proto)
  }

  // Class decorators that do not run again (their text is unedited) keep what they added to the
  // prototype (a mixin's `c.prototype.fly = ...`): members the previous version did not declare.
  const declared = keepsClassDecorators ? new Set(Reflect.ownKeys(prev.cls.prototype as object)) : undefined
  const nextDeclared = keepsClassDecorators ? new Set(Reflect.ownKeys(next.cls.prototype as object)) : undefined
  const stays = new Set<PropertyKey>()
  for (const key of Reflect.ownKeys(proto)) {
    if (key === 'constructor' || (declared && !declared.has(key) && !nextDeclared!.has(key))) stays.add(key)
    else if (!Object.getOwnPropertyDescriptor(proto, key)!.configurable) {
      stays.add(key)
      warnings.push(
        `${record.name}.prototype.${memberName(key)} is non-configurable (defined so by the program): it was kept as it is`,
      )
    }
  }
  const members = prototypeMembers(next.cls.prototype)
  noteMethods(record, members, false)
  replaceMembers(proto, members, stays)

  const protoParent = Object.getPrototypeOf(next.cls.prototype) as object | null
  const ctorParent = Object.getPrototypeOf(next.cls) as object
  if (Object.getPrototypeOf(proto) !== protoParent) Object.setPrototypeOf(proto, protoParent)
  if (Object.getPrototypeOf(canonical) !== ctorParent) Object.setPrototypeOf(canonical, ctorParent)

  // Static code: the previous version's methods and accessors go, the new version's come.
  const nextStatics = staticMembers(next.cls)
  noteMethods(record, nextStatics, true)
  for (const [key, desc] of staticMembers(prev.cls)) {
    if (!isCode(desc) || nextStatics.has(key)) continue
    const live = Object.getOwnPropertyDescriptor(canonical, key)
    if (live && isCode(live) && live.configurable) Reflect.deleteProperty(canonical, key)
  }
  for (const [key, desc] of nextStatics) if (isCode(desc)) Object.defineProperty(canonical, key, desc)
  Object.defineProperty(canonical, 'length', { value: next.cls.length, configurable: true })

  record.setImpl(next.cls)
  record.current = next
  return warnings
}

/**
 * Static data once the new version's body has run. Transformed versions declared their statics onto the
 * canonical class as they ran (an unedited declaration kept its runtime value); here the ones the new
 * version no longer declares go, and each unedited `static #x` takes its value over. Versions the
 * transform did not lower carry their static data on their own class: it is merged three ways by value.
 * Returns the static keys this step wrote, for an exact rollback.
 */
export function settleStatics(
  record: ClassRecord,
  prev: ClassVersion | undefined,
  next: ClassVersion,
): Set<PropertyKey> {
  const canonical = record.canonical
  const written = new Set<PropertyKey>()
  const policy = next.options.statics ?? 'merge'
  for (const [key, desc] of staticMembers(next.cls)) {
    // Code, or a declaration the body already made onto the live class (a computed key leaves an
    // `undefined` placeholder on its own class, where its key was evaluated).
    if (isCode(desc) || next.staticHashes.has(key)) continue
    const live = Object.getOwnPropertyDescriptor(canonical, key)
    const declared = prev?.declaredStatics
    const edited = !declared?.has(key) || !sameData(declared.get(key), desc.value)
    if (live && 'value' in live && (policy === 'keep' || (policy === 'merge' && !edited))) continue
    Object.defineProperty(canonical, key, desc)
    written.add(key)
  }
  if (!prev) return written
  const own = staticMembers(next.cls)
  const declaredBefore = new Set([...prev.staticHashes.keys(), ...prev.declaredStatics.keys()])
  for (const key of declaredBefore) {
    if (next.staticHashes.has(key) || own.has(key)) continue
    const live = Object.getOwnPropertyDescriptor(canonical, key)
    // A declared static field goes whatever it holds (a factory arrow too); a static method of the same
    // name would be in `own`.
    const field = prev.staticHashes.has(key) || (live !== undefined && !isCode(live))
    if (live && field && live.configurable) {
      Reflect.deleteProperty(canonical, key)
      written.add(key)
    }
  }
  if (next.transformed) declarationOrder(canonical, next)
  for (const [name, priv] of next.privates) {
    const old = prev.privates.get(name)
    if (old && old.hash === priv.hash && policy !== 'replace') priv.set(old.get())
  }
  return written
}

/** A prototype's own key that keeps its place. */
const PROTOTYPE_NATURAL: ReadonlySet<PropertyKey> = new Set(['constructor'])

/**
 * Give the prototype `members`, in the order a fresh class of this version has them, after the keys that
 * `stay` (the constructor, what a kept decorator added, what the program made non-configurable). Members
 * that go are deleted, the rest written where they are, and only those out of place move (`putInOrder`):
 * deleting a member of a prototype costs V8 a rebuild of the whole object, so deleting every member and
 * adding it back cost a class of 1,000 methods 110-130 ms a swap (quadratic), against ~4 ms now.
 */
function replaceMembers(proto: object, members: Members, stays: ReadonlySet<PropertyKey>): void {
  for (const key of Reflect.ownKeys(proto)) if (!stays.has(key) && !members.has(key)) Reflect.deleteProperty(proto, key)
  let written = false
  for (const [key, desc] of members) {
    if (stays.has(key)) continue
    written ||= Object.prototype.hasOwnProperty.call(proto, key)
    Object.defineProperty(proto, key, desc)
  }
  const kept = Reflect.ownKeys(proto).filter((k) => stays.has(k))
  putInOrder(proto, [...kept, ...[...members.keys()].filter((k) => !stays.has(k))], PROTOTYPE_NATURAL)
  if (written) freshConstants(proto)
}

const SETTLE_FIRST = Symbol('hotclass settle')
const SETTLE_SECOND = Symbol('hotclass settle')

/**
 * V8 keeps a prototype's methods as constant fields, which optimised callers fold and inline, until one
 * is written again: then that field is an ordinary one for good (calls through the prototype measured
 * 2.7x, and handed-out forwarders lost their inlining, after 50 swaps). Deleting a property that is not
 * the last makes V8 rebuild the prototype, fast again on its next use and with every field constant: two
 * keys of hotclass's own are added and deleted, first the one that is not last. Nothing runs in between.
 */
function freshConstants(proto: object): void {
  if (!Object.isExtensible(proto)) return
  Object.defineProperty(proto, SETTLE_FIRST, { value: 0, configurable: true })
  Object.defineProperty(proto, SETTLE_SECOND, { value: 0, configurable: true })
  Reflect.deleteProperty(proto, SETTLE_FIRST)
  Reflect.deleteProperty(proto, SETTLE_SECOND)
}

/**
 * Put the live class's statics in the order a fresh class of this version has them: its methods and
 * accessors, then its static fields in the order they were declared, then what the program added at run
 * time. Swaps delete and re-add members, and reflection lists keys in the order they were added.
 */
function declarationOrder(canonical: object, next: ClassVersion): void {
  putInOrder(canonical, [...codeStatics(next.cls).keys(), ...next.staticHashes.keys()])
}

/** What changed between two versions, for the report: members, statics, fields, base, warnings. */
export function describeChange(record: ClassRecord, prev: ClassVersion, next: ClassVersion): ClassChange {
  const change = emptyChange(record)
  diff(
    prototypeMembers(prev.cls.prototype),
    prototypeMembers(next.cls.prototype),
    false,
    change,
    writtenAlike(prev, next, ''),
  )
  diffStatics(prev, next, change)
  diffFields(prev, next, change)
  change.baseChanged =
    Object.getPrototypeOf(prev.cls.prototype) !== Object.getPrototypeOf(next.cls.prototype) ||
    Object.getPrototypeOf(prev.cls) !== Object.getPrototypeOf(next.cls)
  warnStale(record, prev, next, change)
  return change
}

export function emptyChange(record: ClassRecord): ClassChange {
  return {
    id: record.key,
    name: record.name,
    added: [],
    removed: [],
    changed: [],
    baseChanged: false,
    isNew: false,
    isRemoved: false,
    warnings: [],
  }
}

/** `Symbol.metadata` (decorator metadata; Colyseus keeps its schema layout there), where the runtime has it. */
export const METADATA: symbol = (Symbol as { metadata?: symbol }).metadata ?? Symbol.for('Symbol.metadata')

function isFrameworkMetadata(key: PropertyKey): boolean {
  return key === METADATA
}

/**
 * A stand-in class holding the canonical class's decorator-declared layout as it is now (its own
 * `Symbol.metadata`, and the reflect-metadata of its prototype's members and fields), so it can be
 * compared with what the new version's decorators write onto the canonical class itself.
 */
export function layoutStandIn(record: ClassRecord): Function {
  const canonical = record.canonical
  const standIn = { [record.name]: function () {} }[record.name]!
  Object.setPrototypeOf(standIn, Object.getPrototypeOf(canonical) as object)
  Object.setPrototypeOf(standIn.prototype, Object.getPrototypeOf(canonical.prototype) as object)
  const own = Object.getOwnPropertyDescriptor(canonical, METADATA)
  if (own) Object.defineProperty(standIn, METADATA, own)
  // Decorators write onto the canonical prototype itself (Colyseus defines an accessor per field there).
  const proto = canonical.prototype as object
  for (const key of Reflect.ownKeys(proto)) {
    if (key !== 'constructor')
      Object.defineProperty(standIn.prototype, key, Object.getOwnPropertyDescriptor(proto, key)!)
  }
  const keys = metadataKeys(record.current)
  for (const key of Reflect.ownKeys(proto)) keys.proto.add(key)
  applyMetadata(standIn.prototype as object, snapshotMetadata(proto, keys.proto))
  applyMetadata(standIn, snapshotMetadata(canonical, keys.ctor))
  return standIn
}

/** Give a fresh canonical class its first version's members (static data is declared by the body, or settled). */
export function adopt(record: ClassRecord, transformed: boolean): void {
  const { canonical, current } = record
  const proto = canonical.prototype as object
  const members = prototypeMembers(current.cls.prototype)
  const statics = staticMembers(current.cls)
  noteMethods(record, members, false)
  noteMethods(record, statics, true)
  for (const [key, desc] of members) Object.defineProperty(proto, key, desc)
  for (const [key, desc] of statics) if (isCode(desc)) Object.defineProperty(canonical, key, desc)
  if (transformed) return
  const keys = metadataKeys(current)
  applyMetadata(canonical, snapshotMetadata(current.cls, keys.ctor))
  applyMetadata(proto, snapshotMetadata(current.cls.prototype, keys.proto))
}

/**
 * Whether a member is written alike in both versions, by the transform's digests of what was written
 * (`TransformInfo.members`), or undefined where either version has none for it (then the functions'
 * text decides). A version Vite's module runner evaluated reads an import as `__vite_ssr_import_0__.default`
 * where the module it replaces reads `gsap`: the text differs, what was written does not.
 */
function writtenAlike(
  prev: ClassVersion,
  next: ClassVersion,
  prefix: string,
): (key: PropertyKey) => boolean | undefined {
  return (key) => {
    if (typeof key !== 'string') return undefined
    const a = prev.members?.[prefix + key]
    const b = next.members?.[prefix + key]
    return a === undefined || b === undefined ? undefined : a === b
  }
}

function diff(
  before: Members,
  after: Members,
  isStatic: boolean,
  change: ClassChange,
  alike: (key: PropertyKey) => boolean | undefined = () => undefined,
): void {
  for (const [key, desc] of after) {
    if (isFrameworkMetadata(key)) continue
    const old = before.get(key)
    if (!old) change.added.push(memberName(key, isStatic))
    else if (!(alike(key) ?? !memberChanged(old, desc))) change.changed.push(memberName(key, isStatic))
  }
  for (const key of before.keys()) {
    if (!after.has(key) && !isFrameworkMetadata(key)) change.removed.push(memberName(key, isStatic))
  }
}

function codeStatics(cls: object): Members {
  const out: Members = new Map()
  for (const [key, desc] of staticMembers(cls)) if (isCode(desc)) out.set(key, desc)
  return out
}

function diffStatics(prev: ClassVersion, next: ClassVersion, change: ClassChange): void {
  diff(codeStatics(prev.cls), codeStatics(next.cls), true, change, writtenAlike(prev, next, 'static:'))
  const before = new Map<PropertyKey, unknown>([...prev.staticHashes, ...prev.declaredStatics])
  const after = new Map<PropertyKey, unknown>([...next.staticHashes, ...next.declaredStatics])
  for (const [key, value] of after) {
    if (isFrameworkMetadata(key)) continue
    if (!before.has(key)) change.added.push(memberName(key, true))
    else if (!sameData(before.get(key), value)) change.changed.push(memberName(key, true))
  }
  for (const key of before.keys()) {
    if (!after.has(key) && !isFrameworkMetadata(key)) change.removed.push(memberName(key, true))
  }
}

function diffFields(prev: ClassVersion, next: ClassVersion, change: ClassChange): void {
  const computedBefore = new Set(prev.computedFields ?? [])
  for (const key of next.computedFields ?? []) {
    if (computedBefore.has(key)) continue
    change.added.push(`field ${key}`)
    change.warnings.push(
      `${change.name}: live instances did not get the computed-key field ${key} (its key is known only as the class evaluates it); give it a name, or set it in migrate()`,
    )
  }
  const bodyBefore = new Set([...(prev.bodyFields ?? []), ...Object.keys(prev.fields ?? {})])
  for (const name of next.bodyFields ?? []) {
    if (bodyBefore.has(name)) continue
    change.added.push(`field ${name}`)
    change.warnings.push(
      `${change.name}: live instances did not get the field ${name} (its initialiser reads a #private name or \`arguments\`, which only the class body can evaluate); set it in migrate()`,
    )
  }
  if (!prev.fields && !next.fields) return
  const before = prev.fields ?? {}
  const after = next.fields ?? {}
  for (const name of Object.keys(after)) {
    const old = Object.hasOwn(before, name) ? before[name] : undefined
    if (!old) change.added.push(`field ${name}`)
    else if (!(writtenAlike(prev, next, 'field:')(name) ?? source(old) === source(after[name])))
      change.changed.push(`field ${name}`)
  }
  for (const name of Object.keys(before)) if (!Object.hasOwn(after, name)) change.removed.push(`field ${name}`)
}

function warnStale(record: ClassRecord, prev: ClassVersion, next: ClassVersion, change: ClassChange): void {
  const oldArrows = arrowFieldSources(prev)
  // With the transform's initialisers, live instances get changed arrow fields: tracked ones at the
  // swap, the others on their next call (references.ts `__fn`).
  const reached = next.fields !== undefined
  for (const [name, src] of arrowFieldSources(next)) {
    const old = oldArrows.get(name)
    if (old === undefined || old === src || reached) continue
    change.warnings.push(
      `${record.name}.${name} is an arrow-function field: live instances keep the old function (use a method, or leave instance tracking on and use the hotclass transform)`,
    )
  }
  // With the transform, `this.onHit.bind(this)` binds a forwarder (references.ts) that follows swaps.
  for (const name of next.transformed ? [] : boundMethodNames(next.cls)) {
    if (change.changed.includes(name)) {
      change.warnings.push(
        `${record.name}.${name} is bound in the constructor: live instances keep the old bound function (call it through an arrow at the use site instead)`,
      )
    }
  }
}
