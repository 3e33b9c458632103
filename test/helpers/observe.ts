import 'reflect-metadata'
// The transform wraps member reads that hand a value out in `__ref` (captures.ts) in every module but
// test modules, which it knows by their vitest import. This helper must see descriptors as they are.
import { expect } from 'vitest'

/**
 * What a program can observe about classes and their objects, as plain data, so two programs (a
 * swapped one and a cold load, hotclass and the inert decorator) can be compared with one `toEqual`.
 * Classes and functions are named by what they are, never by identity, so the views of two separate
 * loads compare equal exactly when they behave alike.
 */

export type Named = ReadonlyMap<unknown, string>

/** Both sides of a comparison, observed; fails with the first difference. */
export function expectSame(actual: unknown, expected: unknown, message?: string): void {
  expect(actual, message).toEqual(expected)
}

/** A value as data: classes the caller named by name, Maps/Sets/instances tagged, functions called. */
export function view(value: unknown, names: Named, depth = 0): unknown {
  if (names.has(value)) return { class: names.get(value) }
  if (value === undefined) return { undefined: true }
  if (typeof value === 'symbol') return { symbol: value.toString() }
  if (typeof value === 'number' && !Number.isFinite(value)) return { number: String(value) }
  if (typeof value !== 'object' && typeof value !== 'function') return value
  if (value === null) return null
  if (depth > 3) return { deep: true }
  if (typeof value === 'function') {
    // A plain function (a hook): what it returns says which one it is; a class only by name.
    if (/^class\b/.test(Function.prototype.toString.call(value))) return { fnClass: value.name }
    let result: unknown
    try {
      result = view((value as () => unknown)(), names, depth + 1)
    } catch (e) {
      result = { threw: String(e) }
    }
    return { fn: value.name, length: value.length, result }
  }
  if (value instanceof Map)
    return { Map: [...value].map(([k, v]) => [view(k, names, depth + 1), view(v, names, depth + 1)]) }
  if (value instanceof Set) return { Set: [...value].map((v) => view(v, names, depth + 1)) }
  if (Array.isArray(value)) return value.map((v) => view(v, names, depth + 1))
  const proto = Object.getPrototypeOf(value) as object | null
  const ctor = proto ? (proto as { constructor?: unknown }).constructor : null
  return {
    of: proto === null ? null : proto === Object.prototype ? 'Object' : (names.get(ctor) ?? (ctor as Function)?.name),
    own: Reflect.ownKeys(value).map((k) => [
      typeof k === 'symbol' ? k.toString() : k,
      descriptor(Object.getOwnPropertyDescriptor(value, k)!, names, depth + 1),
    ]),
  }
}

/** A descriptor's shape and, for data, its value as data (functions with their names). */
export function descriptor(d: PropertyDescriptor, names: Named, depth = 0, fnName = true): unknown {
  const flags = `${d.enumerable ? 'e' : '-'}${d.configurable ? 'c' : '-'}`
  if ('value' in d) {
    const kind = typeof d.value === 'function' ? 'fn' : 'data'
    return [
      kind + flags + (d.writable ? 'w' : '-'),
      kind === 'fn' ? fnShape(d.value, fnName) : view(d.value, names, depth),
    ]
  }
  return [`accessor${flags}`, d.get ? 'get' : '-', d.set ? 'set' : '-']
}

/** What reflection shows of a method without calling it: its kind, name and arity. */
function fnShape(fn: Function, withName: boolean): unknown {
  const kind = Object.getPrototypeOf(fn)?.constructor?.name as string | undefined
  if (/^class\b/.test(Function.prototype.toString.call(fn))) return { class: fn.name }
  return { kind, ...(withName && { name: fn.name }), length: fn.length }
}

/** Own keys in order, each with its descriptor's shape and value. */
export function ownView(o: object, names: Named, fnNames = true): unknown {
  return Reflect.ownKeys(o).map((k) => [
    typeof k === 'symbol' ? k.toString() : k,
    descriptor(Object.getOwnPropertyDescriptor(o, k)!, names, 0, fnNames),
  ])
}

/**
 * Use a member the way game code does: read it (a getter runs), call it when it is a function (an
 * async method is awaited, a generator spread). Errors are data too: both sides must throw alike.
 */
export async function use(o: any, key: PropertyKey, names: Named): Promise<unknown> {
  try {
    const v = o[key]
    if (typeof v !== 'function' || /^class\b/.test(Function.prototype.toString.call(v))) return view(v, names)
    const r = v.call(o)
    if (r instanceof Promise) return { awaited: view(await r, names) }
    if (r && typeof r === 'object' && typeof r.next === 'function' && typeof r[Symbol.iterator] === 'function')
      return { generated: [...r].map((x: unknown) => view(x, names)) }
    return view(r, names)
  } catch (e) {
    return { threw: e instanceof Error ? e.constructor.name : String(e) }
  }
}

/** reflect-metadata of a target (and a member), own and inherited keys, values as data. */
export function metadataView(target: object, names: Named, member?: PropertyKey): unknown {
  // reflect-metadata types keys as string | symbol; numbers never reach here.
  const key = member as string | symbol | undefined
  const own = key === undefined ? Reflect.getOwnMetadataKeys(target) : Reflect.getOwnMetadataKeys(target, key)
  const all = key === undefined ? Reflect.getMetadataKeys(target) : Reflect.getMetadataKeys(target, key)
  const get = (k: unknown) => (key === undefined ? Reflect.getMetadata(k, target) : Reflect.getMetadata(k, target, key))
  return {
    own: own.map((k) => view(k, names)),
    all: all.map((k) => [view(k, names), metaValue(get(k), names)]),
  }
}

/** `design:type` and friends hold constructors (Number, a class): named, not called. */
function metaValue(v: unknown, names: Named): unknown {
  if (names.has(v)) return { class: names.get(v) }
  if (typeof v === 'function') return { ctor: v.name }
  if (Array.isArray(v)) return v.map((x) => metaValue(x, names))
  return view(v, names)
}

/**
 * Everything observable about a set of classes (named in `names`) and one object of each, built with
 * `make`. `Function.prototype.toString` of a class is left out on purpose: the live class of a
 * reloadable is a trampoline that constructs through the current version, and its source text is the
 * trampoline's. Nothing else is.
 */
export async function observeClasses(
  classes: ReadonlyArray<readonly [string, any]>,
  names: Named,
  make: (C: any) => object,
  keys: readonly PropertyKey[],
  staticKeys: readonly PropertyKey[],
): Promise<unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, C] of classes) {
    const o = make(C)
    out[name] = await observeObject(o, C, classes, names, keys, staticKeys, true)
  }
  return out
}

/** One object and its class: everything a program can see, in a stable order. */
export async function observeObject(
  o: any,
  C: any,
  classes: ReadonlyArray<readonly [string, any]>,
  names: Named,
  keys: readonly PropertyKey[],
  staticKeys: readonly PropertyKey[],
  withClass: boolean,
): Promise<unknown> {
  const members: unknown[] = []
  for (const k of keys) members.push([String(k), await use(o, k, names)])
  const statics: unknown[] = []
  if (withClass) for (const k of staticKeys) statics.push([String(k), await use(C, k, names)])
  const protoKeys = Reflect.ownKeys(C.prototype)
  return {
    own: ownView(o, names),
    json: JSON.stringify(o),
    spread: Object.keys({ ...o }),
    members,
    instanceOf: classes.map(([n, D]) => [n, o instanceof D]),
    protoIsClass: Object.getPrototypeOf(o) === C.prototype,
    constructorIs: names.get(o.constructor),
    ...(withClass && {
      name: C.name,
      length: C.length,
      ctorOwn: ownView(C, names),
      ctorParent:
        names.get(Object.getPrototypeOf(C)) ??
        (Object.getPrototypeOf(C) === Function.prototype ? 'Function.prototype' : '?'),
      protoOwn: ownView(C.prototype, names),
      protoNames: Object.getOwnPropertyNames(C.prototype),
      protoParent:
        names.get(Object.getPrototypeOf(C.prototype)?.constructor) ??
        (Object.getPrototypeOf(C.prototype) === Object.prototype ? 'Object.prototype' : '?'),
      statics,
      keysOfClass: Object.keys(C),
      metaClass: metadataView(C, names),
      metaMembers: [...new Set([...protoKeys, ...keys])].map((k) => [String(k), metadataView(C.prototype, names, k)]),
      metaStatics: staticKeys.map((k) => [String(k), metadataView(C, names, k)]),
    }),
  }
}
