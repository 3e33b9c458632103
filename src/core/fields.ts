import { instancesOf } from './instances.ts'
import { CHURN_PER_SECOND } from './trampoline.ts'
import { comparableText } from './members.ts'
import { isPlainObject } from './plain-object.ts'
import { isFieldFunction, retargetFieldFunctions } from './references.ts'
import { recordOf, rootRecord } from './registry.ts'
import type { ClassRecord, ClassVersion } from './registry.ts'

/**
 * Instance fields across versions. A field a new version adds becomes a real own property of every live
 * instance (appended after the fields it already had, with the value its initialiser gives with `this`
 * bound to the instance), as a fresh object of the final version has it: `JSON.stringify`, `Object.keys`,
 * spread and `structuredClone` see it, and nothing is left on the prototype. A changed arrow-function
 * field is made again on live instances, so handlers follow the new source. Initialisers come from the
 * build transform; instances from instance tracking (instances.ts).
 */

/** What a class was before the swap: its version and its prototype's parent. */
export interface Before {
  version: ClassVersion
  protoParent: object | null
}

/** The reloadable classes of a prototype chain, most derived first, with the links `parentOf` gives. */
function chain(proto: object | null, parentOf: (record: ClassRecord, p: object) => object | null): ClassRecord[] {
  const out: ClassRecord[] = []
  for (let p = proto; p;) {
    const record = recordOf((p as { constructor?: object }).constructor ?? {})
    if (record && record.canonical.prototype === p) {
      out.push(record)
      p = parentOf(record, p)
    } else p = Object.getPrototypeOf(p) as object | null
  }
  return out
}

function sameFields(
  a: Record<string, (this: object) => unknown> | undefined,
  b: Record<string, (this: object) => unknown> | undefined,
): boolean {
  if (!a || !b) return a === b
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && String(a[k]) === String(b[k]))
}

/** A field value that is code the class wrote: a function, or a handler table (a plain object of functions). */
function holdsCode(value: unknown): boolean {
  if (typeof value === 'function') return true
  return isPlainObject(value) && Object.values(value).some((v) => typeof v === 'function')
}

/** One instance's own property before a swap touched it, to put back if the swap fails. */
export interface InstanceWrite {
  instance: object
  key: string
  had: PropertyDescriptor | undefined
  /** The value the swap gave. */
  value: unknown
}

/**
 * After a swap, give every live instance of the touched classes the fields its final chain declares and
 * its chain before the swap did not (a field a version adds, or one a new base brings), with the value
 * the most derived declaration gives; and re-create fields whose initialiser changed where the live value
 * is code. Returns the writes (for undo) and warnings for what could not be given.
 */
export function giveFields(touched: ReadonlyMap<ClassRecord, Before>): {
  writes: InstanceWrite[]
  undo: Array<() => void>
  warnings: Map<ClassRecord | undefined, string[]>
} {
  const writes: InstanceWrite[] = []
  const undo: Array<() => void> = []
  const warnings = new Map<ClassRecord | undefined, string[]>()
  const warn = (record: ClassRecord | undefined, text: string): void => {
    warnings.set(record, [...(warnings.get(record) ?? []), text])
  }
  const before = (record: ClassRecord): Before =>
    touched.get(record) ?? {
      version: record.current,
      protoParent: Object.getPrototypeOf(record.canonical.prototype) as object | null,
    }
  const candidates = new Set<object>()
  for (const [record, was] of touched) {
    const added = Object.keys(record.current.fields ?? {}).filter(
      (f) => was.version.fields && !Object.hasOwn(was.version.fields, f),
    )
    const root = rootRecord(record)
    if (!root.tracked) {
      if (added.length > 0)
        warn(
          record,
          `${record.name}: live instances did not get the added field${added.length > 1 ? 's' : ''} ${added.join(', ')} (${root === record ? 'the class is' : `instances are tracked through its root-most reloadable class ${root.name}, which is`} not tracked: @reloadable({ track: false }))`,
        )
      continue
    }
    if (added.length > 0 && record.churning())
      warn(
        record,
        `${record.name}: tracking stopped because the class makes objects faster than ${CHURN_PER_SECOND.toLocaleString('en')} a second; live instances made since did not get ${added.join(', ')} (mark it @reloadable({ track: false }) to say so up front)`,
      )
    // Live instances are looked at only when what they should have can differ: fields added or edited,
    // or a new base (a swap of method bodies costs nothing per instance).
    const sameBase = was.protoParent === Object.getPrototypeOf(record.canonical.prototype)
    if (sameBase && sameFields(was.version.fields, record.current.fields)) continue
    for (const o of instancesOf(record.canonical.prototype as object)) candidates.add(o)
  }
  const frozen = new Set<string>()
  for (const instance of candidates) {
    const now = chain(
      Object.getPrototypeOf(instance) as object | null,
      (_r, p) => Object.getPrototypeOf(p) as object | null,
    )
    const then = chain(Object.getPrototypeOf(instance) as object | null, (r) => before(r).protoParent)
    const had = new Map<string, (this: object) => unknown>()
    for (const r of then)
      for (const [f, init] of Object.entries(before(r).version.fields ?? {})) if (!had.has(f)) had.set(f, init)
    const declared = new Map<string, (this: object) => unknown>()
    for (const r of now.toReversed()) for (const [f, init] of Object.entries(homed(r) ?? {})) declared.set(f, init)
    if (now.some((r) => !r.current.fields) || then.some((r) => !before(r).version.fields)) continue // fields unknown
    for (const [name, init] of declared) {
      const own = Object.getOwnPropertyDescriptor(instance, name)
      if (!had.has(name)) {
        if (!own) give(instance, name, init, writes, frozen)
        continue
      }
      // Data is state and stays; code (an arrow-function field, a handler table) follows the new source,
      // in place where the transform made it retargetable, so holders keep the functions they were given.
      if (String(had.get(name)) === String(init) || !own || !('value' in own) || !holdsCode(own.value)) continue
      // A function the game put there (`button.onClick = () => start()`) is its state, not the class's code.
      if (typeof own.value === 'function' && !isFieldFunction(own.value)) continue
      if (retargetFieldFunctions(own.value, init.call(instance), undo)) continue
      give(instance, name, init, writes, frozen)
    }
  }
  for (const name of frozen)
    warn(undefined, `field ${name}: some live instances are frozen or sealed and could not get it`)
  return { writes, undo, warnings }
}

/**
 * A version's field initialisers, whose `super` (`title = super.label()`) means the class's base: the
 * transform writes them as methods of one object, and a method's `super` is its object's prototype.
 */
function homed(record: ClassRecord): ClassVersion['fields'] {
  const fields = record.current.fields
  const parent = Object.getPrototypeOf(record.canonical.prototype) as object | null
  if (fields && Object.getPrototypeOf(fields) !== parent) Object.setPrototypeOf(fields, parent)
  return fields
}

function give(
  instance: object,
  name: string,
  init: (this: object) => unknown,
  writes: InstanceWrite[],
  frozen: Set<string>,
): void {
  const had = Object.getOwnPropertyDescriptor(instance, name)
  if ((!had && !Object.isExtensible(instance)) || (had && !had.configurable)) {
    frozen.add(name)
    return
  }
  const value = init.call(instance)
  writes.push({ instance, key: name, had, value })
  Object.defineProperty(instance, name, { value, writable: true, enumerable: true, configurable: true })
}

/** Undo field writes, newest first; `unlessChanged`: only where the field still holds what was given. */
export function undoWrites(writes: InstanceWrite[], unlessChanged = false): void {
  for (const { instance, key, had, value } of writes.toReversed()) {
    if (unlessChanged) {
      const now = Object.getOwnPropertyDescriptor(instance, key)
      if (!now || !('value' in now) || !Object.is(now.value, value)) continue
    }
    if (had) Object.defineProperty(instance, key, had)
    else Reflect.deleteProperty(instance, key)
  }
}

const ARROW_FIELD =
  /^\s*(?:static\s+)?(?:readonly\s+)?([A-Za-z_$][\w$]*)\s*=\s*(?:async\s*)?(?:\([^()]*\)|[A-Za-z_$][\w$]*)\s*=>/gm

/**
 * Arrow-function fields of a version and their source text. With the transform's initialisers this is
 * exact; without them the class source is read (fields stand on their own lines in compiled output).
 */
export function arrowFieldSources(version: ClassVersion): Map<string, string> {
  const out = new Map<string, string>()
  if (version.fields) {
    for (const [name, init] of Object.entries(version.fields)) {
      const src = String(init)
      if (/=>/.test(src)) out.set(name, comparableText(src))
    }
    return out
  }
  const src = Function.prototype.toString.call(version.cls)
  for (const m of src.matchAll(ARROW_FIELD)) {
    const start = m.index
    const end = src.indexOf('\n', start + m[0].length)
    out.set(m[1]!, comparableText(src.slice(start, end === -1 ? undefined : end)))
  }
  return out
}

/** Methods the constructor binds onto the instance (`this.onHit = this.onHit.bind(this)`). */
export function boundMethodNames(cls: Function): string[] {
  const src = Function.prototype.toString.call(cls)
  return [...src.matchAll(/this\.([A-Za-z_$][\w$]*)\s*=\s*this\.\1\.bind\(/g)].map((m) => m[1]!)
}
