import { metadataApi } from './metadata.ts'
import type { MetadataApi } from './metadata.ts'
/**
 * The layout a class declares through decorators: `@colyseus/schema`'s `@type()` fields in the class's
 * own `Symbol.metadata`, standard decorators' metadata object, and reflect-metadata an ORM or validator
 * stores per field. Frameworks read it once and cache it (Colyseus' encoder builds its field tables when
 * the first room starts), so a swap that changes it "works" and then crashes the next join: adding a
 * `@type('string') title` to a live Schema ended the server (issue 11). Method bodies are code, not layout.
 */

/** What changed in a class's decorator-declared layout, one line per difference. */
export interface LayoutChange {
  /** The class's name (of the new version). */
  name: string
  /** e.g. `field title added`, `field x changed`, `design:type of title changed` */
  differences: string[]
}

/** Nested metadata deeper than this is taken as equal: layouts are shallow, and cycles must end. */
const MAX_DEPTH = 8

function metadataSymbol(): symbol {
  // Read at each call: @colyseus/schema installs `Symbol.metadata` on Node 20 when it loads, after us.
  return (Symbol as { metadata?: symbol }).metadata ?? Symbol.for('Symbol.metadata')
}

function ownObject(target: object, key: PropertyKey): object | undefined {
  const value = ownData(target, key)
  return typeof value === 'object' && value !== null ? value : undefined
}

function ownData(target: object, key: PropertyKey): unknown {
  const desc = Object.getOwnPropertyDescriptor(target, key)
  return desc && 'value' in desc ? desc.value : undefined
}

/**
 * Structural equality where a function counts by its name: a getter a decorator made, or a class a
 * field's type points at, is a new object in every version but the same layout.
 */
function same(a: unknown, b: unknown, depth = 0): boolean {
  if (Object.is(a, b)) return true
  if (typeof a === 'function' && typeof b === 'function') return a.name === b.name
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (depth >= MAX_DEPTH) return true
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const keysA = Reflect.ownKeys(a)
  const keysB = Reflect.ownKeys(b)
  if (keysA.length !== keysB.length) return false
  return keysA.every(
    (k) => Object.hasOwn(b, k) && same(ownData(a, k), ownData(b, k), depth + 1) && sameAccessor(a, b, k),
  )
}

function sameAccessor(a: object, b: object, key: PropertyKey): boolean {
  const da = Object.getOwnPropertyDescriptor(a, key)
  const db = Object.getOwnPropertyDescriptor(b, key)
  return typeof da?.get === typeof db?.get && typeof da?.set === typeof db?.set
}

/** A metadata entry that describes a field by name (`{ name: 'x', type: 'number', index: 1 }` in schema). */
function fieldName(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const name = (value as { name?: unknown }).name
  return typeof name === 'string' ? name : undefined
}

function keyName(key: PropertyKey): string {
  return typeof key === 'symbol' ? (key.description ?? 'symbol') : String(key)
}

/** A `Symbol.metadata` object's field entries by field name, with the key each sits under. */
function fieldsByName(meta: object): Map<string, { key: PropertyKey; value: object }> {
  const out = new Map<string, { key: PropertyKey; value: object }>()
  for (const key of Reflect.ownKeys(meta)) {
    const value = ownData(meta, key)
    const name = fieldName(value)
    if (name !== undefined) out.set(name, { key, value: value as object })
  }
  return out
}

/**
 * Differences between two metadata objects. Entries that describe fields are reported by field name;
 * bookkeeping derived from them (name → index maps, counts) only when no field entry changed.
 */
function metadataDifferences(before: object | undefined, after: object | undefined): string[] {
  if (before === undefined && after === undefined) return []
  if (before === undefined || after === undefined) {
    return [`Symbol.metadata ${before === undefined ? 'added' : 'removed'}`]
  }
  // Field entries are compared by name, wherever they sit: @colyseus/schema keys them by index, and a
  // field inserted in the middle moves the ones after it (which is what the message should say).
  const fieldsBefore = fieldsByName(before)
  const fieldsAfter = fieldsByName(after)
  const fields: string[] = []
  for (const name of new Set([...fieldsBefore.keys(), ...fieldsAfter.keys()])) {
    const a = fieldsBefore.get(name)
    const b = fieldsAfter.get(name)
    if (!a || !b) fields.push(`field ${name} ${a ? 'removed' : 'added'}`)
    else if (!same(withoutIndex(a.value), withoutIndex(b.value))) fields.push(`field ${name} changed`)
    else if (a.key !== b.key) fields.push(`field ${name} moved`)
  }
  if (fields.length > 0) return fields
  const entryKeys = new Set([...fieldsBefore.values(), ...fieldsAfter.values()].map((f) => f.key))
  const other: string[] = []
  for (const key of new Set([...Reflect.ownKeys(before), ...Reflect.ownKeys(after)])) {
    if (entryKeys.has(key)) continue
    const has = [Object.hasOwn(before, key), Object.hasOwn(after, key)]
    if (has[0] && has[1] && same(ownData(before, key), ownData(after, key)) && sameAccessor(before, after, key))
      continue
    other.push(`Symbol.metadata ${keyName(key)} ${!has[0] ? 'added' : !has[1] ? 'removed' : 'changed'}`)
  }
  return other
}

/** A field entry without its position (`{ name, type, index }` -> `{ name, type }`). */
function withoutIndex(entry: object): object {
  if (!Object.hasOwn(entry, 'index')) return entry
  const { index: _index, ...rest } = entry as { index?: unknown }
  return rest
}

/** Prototype keys that are not methods: accessors and data a decorator put there for a field. */
function fieldLikeKeys(proto: object): PropertyKey[] {
  return Reflect.ownKeys(proto).filter((key) => {
    if (key === 'constructor') return false
    const desc = Object.getOwnPropertyDescriptor(proto, key)!
    return !('value' in desc) || typeof desc.value !== 'function'
  })
}

function reflectDifferences(before: object, after: object, fieldKeys: Iterable<PropertyKey>, m: MetadataApi): string[] {
  const out: string[] = []
  const isMethod = (key: PropertyKey) =>
    [before, after].some((proto) => typeof Object.getOwnPropertyDescriptor(proto, key)?.value === 'function')
  const keys = new Set([...fieldKeys, ...fieldLikeKeys(before), ...fieldLikeKeys(after)])
  for (const field of keys) {
    if (isMethod(field)) continue
    const names = new Set([...m.getOwnMetadataKeys(before, field), ...m.getOwnMetadataKeys(after, field)])
    for (const name of names) {
      const a = m.getOwnMetadata(name, before, field)
      const b = m.getOwnMetadata(name, after, field)
      if (same(a, b)) continue
      const what = a === undefined ? 'added' : b === undefined ? 'removed' : 'changed'
      out.push(`${String(name)} of ${keyName(field)} ${what}`)
    }
  }
  return out
}

/**
 * How the decorator-declared layout of `next` differs from `previous` (two evaluated versions of one
 * class, the raw classes as their modules defined them), or undefined when it does not: the class's own
 * `Symbol.metadata`, and reflect-metadata on the prototype for its fields (the prototype's non-method
 * keys plus `fieldKeys`, the declared instance fields the caller knows of: reflect-metadata cannot list
 * the properties it holds entries for, and a decorated field without an initialiser leaves no other
 * trace). Method metadata (`design:paramtypes`, `design:returntype`) is not layout. Pure: reads only.
 * @example
 * const change = layoutChange(PlayerV1, PlayerV2)
 * // { name: 'Player', differences: ['field title added'] } after adding `@type('string') title`
 */
export function layoutChange(
  previous: Function,
  next: Function,
  fieldKeys: Iterable<PropertyKey> = [],
): LayoutChange | undefined {
  const symbol = metadataSymbol()
  const differences = metadataDifferences(ownObject(previous, symbol), ownObject(next, symbol))
  const m = metadataApi()
  const before = previous.prototype as object | undefined
  const after = next.prototype as object | undefined
  if (m && before && after) differences.push(...reflectDifferences(before, after, fieldKeys, m))
  return differences.length > 0 ? { name: next.name, differences } : undefined
}
