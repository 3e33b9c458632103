import { sameData } from '../members.ts'
import { isPlainObject } from '../plain-object.ts'

/** Objects whose prototype is `Object.prototype` or null, and arrays: data a declaration spells out. */
export function isPlainData(value: unknown): value is Record<string, unknown> | unknown[] {
  return Array.isArray(value) || isPlainObject(value)
}

/** Whether `a` can be updated in place to `b`: both plain data of one kind, and `a` not frozen or sealed. */
function sameShape(a: unknown, b: unknown): boolean {
  return isPlainData(a) && isPlainData(b) && Array.isArray(a) === Array.isArray(b) && !Object.isFrozen(a)
}

type Table = Record<string, unknown>

/**
 * Update the live value of an edited declaration in place, lume.hotswap style, so every holder of the
 * object or of any nested object sees the new data and identity is kept all the way down.
 *
 * It is a three-way merge against `base`, what the previous declaration produced: a key whose declared
 * value was edited (or is new) takes the new value; a key the user did not edit keeps whatever the game
 * made of it at run time (`stats.kills` counted up stays counted up); a key removed from the declaration
 * is deleted; keys the game added at run time stay. Arrays are lists, not records: one whose declaration
 * is unchanged is left alone, an edited one takes the new length and elements (plain elements merged in
 * place). `undo` receives, for every object touched, a closure that restores it exactly.
 */
export function mergeData(live: object, base: unknown, next: object, undo?: Array<() => void>): void {
  merge(live as Table, base, next as Table, undo, new Set())
}

function merge(live: Table, base: unknown, next: Table, undo: Array<() => void> | undefined, seen: Set<object>): void {
  if (seen.has(live)) return // a cycle in the live data: each object is visited once
  seen.add(live)
  const old = isPlainData(base) ? (base as Table) : undefined
  if (Array.isArray(live)) {
    if (old && sameData(old, next)) return
    remember(live, undo)
    const items = next as unknown as unknown[]
    for (let i = 0; i < items.length; i++) {
      if (sameShape(live[i], items[i])) merge(live[i] as Table, old?.[i], items[i] as Table, undo, seen)
      else live[i] = items[i]
    }
    live.length = items.length
    return
  }
  let saved = false
  const save = (): void => {
    if (!saved) remember(live, undo)
    saved = true
  }
  for (const key of Object.keys(next)) {
    const value = next[key]
    if (sameShape(live[key], value)) {
      merge(live[key] as Table, old?.[key], value as Table, undo, seen)
      continue
    }
    const edited = !old || !Object.prototype.hasOwnProperty.call(old, key) || !sameData(old[key], value)
    if (edited && !Object.is(live[key], value)) {
      save()
      live[key] = value
    }
  }
  if (!old) return
  for (const key of Object.keys(old)) {
    if (!Object.prototype.hasOwnProperty.call(next, key) && Object.prototype.hasOwnProperty.call(live, key)) {
      save()
      delete live[key]
    }
  }
}

/** Snapshot an object's own properties (an array's length included) so a failed swap can restore it. */
function remember(target: Table, undo: Array<() => void> | undefined): void {
  if (!undo) return
  const keys = Reflect.ownKeys(target)
  const saved = new Map(keys.map((k) => [k, Object.getOwnPropertyDescriptor(target, k)!] as const))
  undo.push(() => {
    if (Array.isArray(target)) target.length = (saved.get('length')?.value as number | undefined) ?? 0
    for (const key of Reflect.ownKeys(target)) if (!saved.has(key)) Reflect.deleteProperty(target, key)
    for (const [key, desc] of saved) if (desc.configurable) Object.defineProperty(target, key, desc)
  })
}
