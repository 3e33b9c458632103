import { isPlainObject } from './plain-object.ts'

/**
 * An undo for what a user hook (`migrate`) may do to an object's data: the object's own properties and,
 * in place, those of the plain objects, arrays, Maps and Sets it reaches, so a hook that throws half-way
 * leaves nested data exactly as it found it. Bounded (depth and count): game state is a tree of plain
 * data hanging off the instance; class instances and functions it reaches are left alone (they are
 * other objects' state).
 */

const MAX_DEPTH = 8
const MAX_OBJECTS = 10_000

function isPlain(value: object): boolean {
  return isPlainObject(value) || Array.isArray(value)
}

/** Record `root` and the data it reaches; returns the function that puts it all back. */
export function journalData(root: object): () => void {
  const restores: Array<() => void> = []
  const seen = new Set<object>()
  const visit = (o: object, depth: number, isRoot: boolean): void => {
    if (seen.has(o) || seen.size >= MAX_OBJECTS) return
    seen.add(o)
    if (o instanceof Map) {
      const entries = [...o.entries()]
      restores.push(() => {
        o.clear()
        for (const [k, v] of entries) o.set(k, v)
      })
      if (depth < MAX_DEPTH)
        for (const [, v] of entries) if (typeof v === 'object' && v !== null) visit(v, depth + 1, false)
      return
    }
    if (o instanceof Set) {
      const values = [...o]
      restores.push(() => {
        o.clear()
        for (const v of values) o.add(v)
      })
      return
    }
    if (!isRoot && !isPlain(o)) return
    const parent = Object.getPrototypeOf(o) as object | null
    const own = new Map<PropertyKey, PropertyDescriptor>()
    for (const key of Reflect.ownKeys(o)) own.set(key, Object.getOwnPropertyDescriptor(o, key)!)
    restores.push(() => {
      for (const key of Reflect.ownKeys(o)) if (!own.has(key)) Reflect.deleteProperty(o, key)
      // A key the hook deleted would come back last: when the order moved, every key is defined again in
      // the order it had (`Object.keys`, JSON and spread list keys in the order they were added).
      const keys = Reflect.ownKeys(o)
      const wanted = [...own.keys()].filter((k) => keys.includes(k as string | symbol) || own.get(k)!.configurable)
      const moved = keys.length !== wanted.length || keys.some((k, i) => k !== wanted[i])
      for (const [key, desc] of own) {
        const now = Object.getOwnPropertyDescriptor(o, key)
        if (now && !now.configurable) {
          if ('value' in desc && now.writable) (o as Record<PropertyKey, unknown>)[key] = desc.value
          continue
        }
        if (moved && now && !Array.isArray(o)) Reflect.deleteProperty(o, key)
        Object.defineProperty(o, key, desc)
      }
      if (Object.getPrototypeOf(o) !== parent) Object.setPrototypeOf(o, parent)
    })
    if (depth >= MAX_DEPTH) return
    for (const desc of own.values()) {
      if ('value' in desc && typeof desc.value === 'object' && desc.value !== null) visit(desc.value, depth + 1, false)
    }
  }
  visit(root, 0, true)
  return () => {
    for (const restore of restores.toReversed()) restore()
  }
}
