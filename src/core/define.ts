import { logger, now } from './env.ts'
import { errors } from './errors.ts'
import { layoutChange } from './layout.ts'
import { privateNames } from './members.ts'
import { layoutStandIn } from './patch.ts'
import { adopt, describeChange, patchCode, settleStatics } from './patch.ts'
import { createRecord, keyOf, readDeclaredStatics, recordByKey, recordOf, register, versionOf } from './registry.ts'
import type { ClassRecord, ClassVersion } from './registry.ts'
import { commit } from './swap.ts'
import { Transaction, newClassChange, transactionFor } from './transaction.ts'
import type { AnyClass, ReloadableOptions, TransformInfo } from './types.ts'
import { warnOnce } from './warnings.ts'

const log = logger('core')

/**
 * The life of one class definition. With the hotclass transform, a reloadable class's body starts with
 * `static { _X = __class.open(this, decorator, info) }`: the canonical class exists (or takes the new
 * version) before any static initialiser, static block or decorator of the body runs, and those run
 * against it. Static fields become `__class.want(...) && __class.define(...)`, so an unedited declaration
 * keeps its runtime value without being evaluated again. The decorator, applied last, closes the
 * definition. Without the transform the decorator does both at once (and says so).
 */
interface Definition {
  record: ClassRecord
  prev: ClassVersion | undefined
  next: ClassVersion
  txn: Transaction | undefined
  /** A definition that is its own transaction: a module evaluated again outside any swap. */
  own: boolean
  warnings: string[]
  /** The decorator-declared layout before this version's decorators ran (a stand-in class holding it). */
  layoutBefore: Function | undefined
  started: number
  /** Static data keys the body wrote (edited or new declarations), for an exact rollback. */
  written: Set<PropertyKey>
  /** The class decorators besides `@reloadable()` are unedited: they do not run again (`classDecorators`). */
  keepsClassDecorators: boolean
  /**
   * The decorator that closes it. The entry goes at close: each version's decorator lives as long as its
   * module record, which a browser never frees, and would keep the definition (its transaction, versions).
   */
  decorator?: object
}

const openByCanonical = new WeakMap<object, Definition>()
const openByRaw = new WeakMap<object, Definition>()
/** The definition each transform-lowered class body opened, by the decorator that is to close it. */
const openByDecorator = new WeakMap<object, Definition>()

/** Remember which decorator closes `d` (the transform passes it to `__class.open`), until it does. */
export function closedBy(decorator: unknown, d: Definition): void {
  if (typeof decorator !== 'function') return
  openByDecorator.set(decorator, d)
  d.decorator = decorator
}

/**
 * The definition `decorator` was to close, if it is still open although the decorator was handed another
 * class: a class decorator below `@reloadable()` replaced the declared class.
 */
export function replacedDefinition(decorator: object): Definition | undefined {
  const d = openByDecorator.get(decorator)
  return d && openByRaw.get(d.next.cls) === d ? d : undefined
}

const OPTIONS = Symbol('hotclass.options')

/** The options a `reloadable(...)` decorator was made with. */
export function optionsOf(decorator: unknown): Readonly<ReloadableOptions> {
  return ((decorator as Record<symbol, unknown> | undefined)?.[OPTIONS] as ReloadableOptions | undefined) ?? {}
}

export function tagOptions<F extends Function>(decorator: F, options: Readonly<ReloadableOptions>): F {
  Object.defineProperty(decorator, OPTIONS, { value: options })
  return decorator
}

/**
 * Start defining a class: create its record and canonical class, or make this version live on the
 * existing one inside the open swap. Returns the canonical class, which the body then uses as itself.
 */
export function openClass(
  cls: AnyClass,
  options: Readonly<ReloadableOptions>,
  info: TransformInfo | undefined,
  transformed: boolean,
): Definition {
  const name = info?.name ?? cls.name
  const key = keyOf(name, options, info)
  const existing = recordByKey(key)
  let txn = transactionFor(info?.module)

  if (!existing) {
    const version = versionOf(cls, 1, info, options, transformed)
    const record = createRecord(key, name, version, options, info?.module)
    adopt(record, transformed)
    register(record)
    txn?.noteCreated(record)
    return track({
      record,
      prev: undefined,
      next: version,
      txn,
      own: false,
      warnings: [],
      layoutBefore: undefined,
      started: now(),
      written: new Set(),
      keepsClassDecorators: false,
    })
  }

  // No swap covers this module: the same module was evaluated again by something else (a plain
  // re-import, the host's normal HMR). Patch at once, as a transaction of its own. Without a module id
  // two classes that merely share a name would be merged: refuse that instead.
  let own = false
  if (!txn) {
    if (!info?.module && options.id === undefined) throw errors.duplicateKey(key)
    log('implicit swap of %s', key)
    txn = new Transaction()
    own = true
  }
  const version = versionOf(cls, existing.current.number + 1, info, options, transformed)
  refusePrivates(existing, version, info)
  txn.touch(existing)
  const prev = existing.current
  const layoutBefore = transformed ? layoutStandIn(existing) : prev.cls
  // Class decorators run once per edit of their text, as static blocks do: one that registers the class
  // in kept module state (`@register`) would register it again; what they wrote on the class stays.
  const keepsClassDecorators =
    transformed &&
    prev.transformed &&
    !prev.replacedByDecorator &&
    version.classDecorators !== undefined &&
    version.classDecorators === prev.classDecorators
  const warnings = patchCode(existing, version, keepsClassDecorators)
  return track({
    record: existing,
    prev,
    next: version,
    txn,
    own,
    warnings,
    layoutBefore,
    started: now(),
    written: new Set(),
    keepsClassDecorators,
  })
}

/**
 * The class decorators a transformed class body applies (`_decorate(__class.decorators(C, [...], i), C)`):
 * all of them the first time and whenever their text changed, else only `@reloadable()` (at `index`).
 */
export function classDecorators(C: object, list: unknown[], index: number): unknown[] {
  const d = openByCanonical.get(C)
  return d?.keepsClassDecorators ? [list[index]] : list
}

function track(d: Definition): Definition {
  openByCanonical.set(d.record.canonical, d)
  openByRaw.set(d.next.cls, d)
  return d
}

/**
 * A version whose instances carry `#private` members cannot run on objects made by an older version:
 * every method touching `#x` would throw a brand-check TypeError on them. Known from the AST when the
 * transform lowered the class; refused before anything changes.
 */
function refusePrivates(record: ClassRecord, version: ClassVersion, info: TransformInfo | undefined): void {
  const names = version.instancePrivates ?? (info?.fields === undefined ? privateNames(version.cls) : [])
  if (names.length > 0) throw errors.privateMembers(record.name, names, record.module, info?.line)
}

/** The definition open for a canonical class (the transform's static calls) or a raw one (the decorator). */
export function openDefinition(cls: object): Definition | undefined {
  return openByCanonical.get(cls) ?? openByRaw.get(cls)
}

/** Finish a definition: static data, report, fields for live instances. Returns the canonical class. */
export function closeClass(d: Definition): AnyClass {
  openByCanonical.delete(d.record.canonical)
  openByRaw.delete(d.next.cls)
  if (d.decorator) openByDecorator.delete(d.decorator)
  const { record, prev, next } = d
  if (!next.transformed) readDeclaredStatics(next)
  const statics = settleStatics(record, prev, next)
  for (const key of d.written) statics.add(key)
  if (!prev) {
    d.txn?.defined.push({ record, from: undefined, to: next, change: newClassChange(record), statics })
    return record.canonical
  }
  // A framework read the decorator-declared layout when the class was first used (Colyseus' encoder) and
  // keeps it: a swap that changes it would "work" and break the next join. Refused; the transaction restores.
  const fieldKeys = new Set([...Object.keys(prev.fields ?? {}), ...Object.keys(next.fields ?? {})])
  const layout = layoutChange(d.layoutBefore ?? prev.cls, next.transformed ? record.canonical : next.cls, fieldKeys)
  if (layout) throw errors.layoutChanged(layout, record.module)
  const change = describeChange(record, prev, next)
  change.warnings.unshift(...d.warnings)
  d.txn!.defined.push({ record, from: prev, to: next, change, statics })
  if (d.own) commit(d.txn!, 'swap', [record.module ?? record.key], d.started)
  return record.canonical
}

/** A class the transform did not lower: open and close at once, and say what that costs once per class. */
export function defineUntransformed(
  cls: AnyClass,
  name: string,
  options: Readonly<ReloadableOptions>,
  info: TransformInfo | undefined,
): AnyClass {
  // The live class itself (a module that kept its class and decorates it again): nothing to define.
  if (recordOf(cls)?.canonical === cls) return cls
  const d = openClass(cls, options, info ?? { name }, false)
  if (info?.name === undefined && name !== cls.name) d.record.name = name
  const hasStaticData = [...Reflect.ownKeys(cls)].some((k) => {
    if (k === 'length' || k === 'name' || k === 'prototype') return false
    const desc = Object.getOwnPropertyDescriptor(cls, k)!
    return 'value' in desc && typeof desc.value !== 'function'
  })
  if (hasStaticData || info?.fields === undefined) {
    // Once per module (a toolchain without the transform makes every class of it so): the first class named.
    warnOnce(
      'HOTCLASS_NO_TRANSFORM',
      d.record.module ?? 'a module without an id',
      `${d.record.name} was made reloadable without the hotclass transform (said once per module): its static initialisers ran against a class other than the live one, and fields a new version adds cannot reach live instances. Add the hotclass Vite plugin (hotclass/vite) to the toolchain that builds this module.`,
    )
  }
  return closeClass(d)
}

// The transform's calls inside a class body. `C` is the canonical class the body was given.

/** Whether a static declaration must be evaluated: new, edited, or its runtime value gone. */
export function wantStatic(C: object, key: PropertyKey, hash: string): boolean {
  const d = openByCanonical.get(C)
  if (!d) return true
  d.next.staticHashes.set(key, hash)
  if (!d.prev) return true
  const policy = d.next.options.statics ?? 'merge'
  // The hash covers the declarations the value is made from too (class-statics.ts `dependencyText`).
  const want =
    policy === 'replace' ||
    !Object.prototype.hasOwnProperty.call(C, key) ||
    (policy === 'merge' && d.prev.staticHashes.get(key) !== hash)
  if (want) d.written.add(key)
  return want
}

/** `static x = v` with define semantics (`useDefineForClassFields: true`), onto the canonical class. */
export function defineStatic(C: object, key: PropertyKey, value: unknown, named = false): void {
  // `static create = () => ...` names the function after its field (the transform moved the arrow
  // into an argument, where it would stay anonymous).
  if (named && typeof value === 'function') {
    const name = typeof key === 'symbol' ? (key.description === undefined ? '' : `[${key.description}]`) : String(key)
    Object.defineProperty(value, 'name', { value: name, configurable: true })
  }
  Object.defineProperty(C, key, { value, writable: true, enumerable: true, configurable: true })
}

/** `static x = v` with assign semantics (`useDefineForClassFields: false`). */
export function assignStatic(C: object, key: PropertyKey, value: unknown): void {
  ;(C as Record<PropertyKey, unknown>)[key] = value
}

/** Whether a static block runs: the first load runs every block, a swap only new or edited ones. */
export function runBlock(C: object, hash: string): boolean {
  const d = openByCanonical.get(C)
  if (!d) return true
  d.next.blocks.add(hash)
  return !d.prev || !d.prev.blocks.has(hash)
}

/** A `static #x` of this version: the closures let an unedited declaration carry its value over. */
export function privateStatic(
  C: object,
  name: string,
  hash: string,
  get: () => unknown,
  set: (v: unknown) => void,
): void {
  const d = openByCanonical.get(C)
  if (d) d.next.privates.set(name, { hash, get, set })
}
