import { applyMetadata, snapshotMetadata } from './metadata.ts'
import { isCode, memberChanged, memberName, prototypeMembers, sameData, staticMembers } from './members.ts'
import type { Members } from './members.ts'
import type { ClassRecord, ClassVersion } from './registry.ts'
import { arrowFieldSources, boundMethodNames, installLazyFields, isLazyField } from './fields.ts'
import type { ClassChange } from './types.ts'

/**
 * Patch one canonical class in place to `next` (ScrubClass + copy + MonkeyPatchClass, for one class).
 * The caller has taken a snapshot and restores it if this throws. Cost is proportional to this class's
 * members: subclasses need no work because they inherit through the canonical prototype.
 */
export function patchClass(record: ClassRecord, next: ClassVersion): ClassChange {
  const prev = record.current
  const canonical = record.canonical
  const proto = canonical.prototype as object
  const change: ClassChange = {
    id: record.key,
    name: record.name,
    added: [],
    removed: [],
    changed: [],
    baseChanged: false,
    isNew: false,
    warnings: [],
  }

  // 1. Scrub: the canonical prototype's own members go, `constructor` stays (it is the canonical class).
  for (const key of Reflect.ownKeys(proto)) {
    if (key !== 'constructor' && !Reflect.deleteProperty(proto, key)) {
      throw new TypeError(`cannot remove ${memberName(key)} from ${record.name}.prototype (non-configurable)`)
    }
  }

  // 2. Copy the new version's members as descriptors: accessors, symbols and enumerability survive.
  const before = prototypeMembers(prev.cls.prototype)
  const after = prototypeMembers(next.cls.prototype)
  for (const [key, desc] of after) Object.defineProperty(proto, key, desc)
  diff(before, after, false, change)
  installLazyFields(proto, next.fields, after)
  diffFields(prev, next, change)

  // 3. Inheritance repair (MonkeyPatchClass): both [[Prototype]] links follow the new version's base.
  // `super` in copied methods resolves through the new version's own prototype (its [[HomeObject]]),
  // whose parent is the canonical base, because the module's `extends` saw the canonical class.
  const protoParent = Object.getPrototypeOf(next.cls.prototype) as object | null
  const ctorParent = Object.getPrototypeOf(next.cls) as object
  change.baseChanged =
    Object.getPrototypeOf(prev.cls.prototype) !== protoParent || Object.getPrototypeOf(prev.cls) !== ctorParent
  if (Object.getPrototypeOf(proto) !== protoParent) Object.setPrototypeOf(proto, protoParent)
  if (Object.getPrototypeOf(canonical) !== ctorParent) Object.setPrototypeOf(canonical, ctorParent)

  // 4. Statics: code replaced, data merged three ways.
  const staticsBefore = staticMembers(prev.cls)
  const staticsAfter = staticMembers(next.cls)
  patchStatics(record, prev, next, staticsBefore, staticsAfter, change)

  // 5. Metadata: the new version's reflect-metadata replaces the old, class and members.
  const memberKeys = new Set([...before.keys(), ...after.keys()])
  applyMetadata(canonical, snapshotMetadata(next.cls, staticsAfter.keys()), staticsBefore.keys())
  applyMetadata(proto, snapshotMetadata(next.cls.prototype, memberKeys), memberKeys)

  // 6. What cannot reach live instances: arrow-function fields and bound methods captured at construction.
  warnStale(record, prev, next, change)

  record.setImpl(next.cls)
  record.current = next
  return change
}

function diff(before: Members, after: Members, isStatic: boolean, change: ClassChange): void {
  for (const [key, desc] of after) {
    if (isLazyField(desc)) continue
    const old = before.get(key)
    if (!old) change.added.push(memberName(key, isStatic))
    else if (memberChanged(old, desc)) change.changed.push(memberName(key, isStatic))
  }
  for (const key of before.keys()) {
    if (!after.has(key)) change.removed.push(memberName(key, isStatic))
  }
}

function diffFields(prev: ClassVersion, next: ClassVersion, change: ClassChange): void {
  if (!prev.fields && !next.fields) return
  const before = prev.fields ?? {}
  const after = next.fields ?? {}
  for (const name of Object.keys(after)) {
    const old = before[name]
    if (!old) change.added.push(`field ${name}`)
    else if (String(old) !== String(after[name])) change.changed.push(`field ${name}`)
  }
  for (const name of Object.keys(before)) if (!(name in after)) change.removed.push(`field ${name}`)
}

function patchStatics(
  record: ClassRecord,
  prev: ClassVersion,
  next: ClassVersion,
  before: Members,
  after: Members,
  change: ClassChange,
): void {
  const canonical = record.canonical
  const policy = next.options.statics ?? 'merge'
  for (const [key, desc] of after) {
    const live = Object.getOwnPropertyDescriptor(canonical, key)
    if (isCode(desc) || !live || !('value' in live) || policy === 'replace') {
      Object.defineProperty(canonical, key, desc)
      continue
    }
    if (policy === 'keep') continue
    // merge: an unedited declaration keeps the runtime value (state); an edited one wins.
    const edited = !prev.declaredStatics.has(key) || !sameData(prev.declaredStatics.get(key), desc.value)
    if (edited) Object.defineProperty(canonical, key, desc)
  }
  for (const [key, desc] of after) {
    const old = before.get(key)
    if (!old) change.added.push(memberName(key, true))
    else if (
      isCode(desc) || isCode(old) ? memberChanged(old, desc) : !sameData(prev.declaredStatics.get(key), desc.value)
    ) {
      change.changed.push(memberName(key, true))
    }
  }
  for (const key of before.keys()) {
    if (after.has(key)) continue
    Reflect.deleteProperty(canonical, key)
    change.removed.push(memberName(key, true))
  }
}

function warnStale(record: ClassRecord, prev: ClassVersion, next: ClassVersion, change: ClassChange): void {
  const oldArrows = arrowFieldSources(prev)
  const tracked = record.instances !== undefined && next.fields !== undefined
  for (const [name, src] of arrowFieldSources(next)) {
    const old = oldArrows.get(name)
    if (old === undefined || old === src) continue
    if (tracked && next.fields?.[name]) continue // re-created on tracked instances after patching
    change.warnings.push(
      `${record.name}.${name} is an arrow-function field: live instances keep the old function (use a method, or @reloadable({ track: true }) with the hotclass transform)`,
    )
  }
  for (const name of boundMethodNames(next.cls)) {
    if (change.changed.includes(name)) {
      change.warnings.push(
        `${record.name}.${name} is bound in the constructor: live instances keep the old bound function (call it through an arrow at the use site instead)`,
      )
    }
  }
}
