import 'reflect-metadata'
// A test module (see observe.ts): the transform leaves it alone, so values are read as they are.
import { expect } from 'vitest'
import { inspect, inspectModules } from '../../src/index.ts'

/**
 * Everything a failed swap must leave exactly as it was, as one string: two equal strings mean the
 * program is byte for byte in the same state. Functions and objects are written by identity (the same
 * object always gets the same number), so a member replaced by an equal-looking copy shows.
 */
export class StateWriter {
  readonly #ids = new WeakMap<object, number>()
  #next = 0
  /** Write a class constructor's own keys (its statics) sorted rather than in their order. */
  readonly sortStatics: boolean

  constructor(options: { sortStatics?: boolean } = {}) {
    this.sortStatics = options.sortStatics ?? false
  }

  id(o: object): number {
    let n = this.#ids.get(o)
    if (n === undefined) this.#ids.set(o, (n = ++this.#next))
    return n
  }

  /** A value, with objects and functions by identity and primitives by value. */
  value(v: unknown): unknown {
    if (typeof v === 'symbol') return { symbol: v.toString() }
    if (v === undefined) return { undefined: true }
    if (typeof v === 'number' && !Number.isFinite(v)) return { number: String(v) }
    if ((typeof v === 'object' && v !== null) || typeof v === 'function') return { ref: this.id(v) }
    return v
  }

  /** Own properties in order: key, flags, value or accessor functions, all by identity. */
  own(o: object, sorted = false): unknown {
    const keys = Reflect.ownKeys(o)
    if (sorted) keys.sort((x, y) => (String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0))
    return keys.map((k) => {
      const d = Object.getOwnPropertyDescriptor(o, k)!
      const flags = `${d.enumerable ? 'e' : '-'}${d.configurable ? 'c' : '-'}${d.writable ? 'w' : '-'}`
      return [this.value(k), flags, 'value' in d ? this.value(d.value) : [this.value(d.get), this.value(d.set)]]
    })
  }

  /** reflect-metadata own keys and values of a target and of each of its own keys. */
  metadata(target: object, sorted = false): unknown {
    const members = Reflect.ownKeys(target)
    if (sorted) members.sort((x, y) => (String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0))
    const keys: Array<PropertyKey | undefined> = [undefined, ...members]
    return keys.map((member) => {
      const k = member as string | symbol | undefined // reflect-metadata's key type; no numbers here
      const own = k === undefined ? Reflect.getOwnMetadataKeys(target) : Reflect.getOwnMetadataKeys(target, k)
      return [
        this.value(k),
        own.map((m) => [
          this.value(m),
          this.value(k === undefined ? Reflect.getOwnMetadata(m, target) : Reflect.getOwnMetadata(m, target, k)),
        ]),
      ]
    })
  }

  /** A class: both constructors' and prototypes' descriptors, both [[Prototype]] links, metadata. */
  cls(C: Function): unknown {
    const proto = C.prototype as object
    return {
      ctor: this.own(C, this.sortStatics),
      proto: this.own(proto),
      ctorParent: this.value(Object.getPrototypeOf(C)),
      protoParent: this.value(Object.getPrototypeOf(proto)),
      metaCtor: this.metadata(C, this.sortStatics),
      metaProto: this.metadata(proto),
    }
  }

  /**
   * An object's own properties and its [[Prototype]], and the contents of the plain objects and arrays
   * it holds, a few levels down: nested data a migration changed must come back too.
   */
  object(o: object, depth = 0): unknown {
    const nested =
      depth >= 3
        ? []
        : Reflect.ownKeys(o).flatMap((k) => {
            const d = Object.getOwnPropertyDescriptor(o, k)!
            const v: unknown = 'value' in d ? d.value : undefined
            if (typeof v !== 'object' || v === null) return []
            const proto = Object.getPrototypeOf(v) as object | null
            if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) return []
            return [[this.value(k), this.object(v, depth + 1)]]
          })
    return { own: this.own(o), parent: this.value(Object.getPrototypeOf(o)), nested }
  }
}

/** The registry and module state of the modules whose ids end with one of `suffixes`. */
export function registryState(w: StateWriter, suffixes: readonly string[]): unknown {
  const mine = (id: string | undefined) => id !== undefined && suffixes.some((s) => id.endsWith(s))
  return {
    classes: inspect()
      .classes.filter((c) => mine(c.module))
      // `trackedInstances` counts objects until they are collected: a failed version's static initialiser
      // may have built one that is garbage but not yet collected. The objects a test holds are compared
      // one by one instead (`objects`).
      .map((c) => ({
        id: c.id,
        name: c.name,
        module: c.module,
        version: c.version,
        fields: c.fields,
        canonical: w.value(c.canonical),
      })),
    modules: inspectModules()
      .filter((m) => mine(m.id))
      .map((m) => ({
        ...m,
        bindings: Object.entries(m.bindings).map(([k, v]) => [
          k,
          w.value(v),
          Array.isArray(v) ? v.map((x) => w.value(x)) : null,
        ]),
        lastChange: m.lastChange === undefined ? 'none' : JSON.stringify(m.lastChange),
      })),
  }
}

/** Everything about these classes, objects and modules, as one string. */
export function stateOf(
  w: StateWriter,
  classes: Iterable<Function>,
  objects: Iterable<object>,
  moduleSuffixes: readonly string[],
): string {
  return JSON.stringify({
    classes: [...classes].map((C) => w.cls(C)),
    objects: [...objects].map((o) => w.object(o)),
    registry: registryState(w, moduleSuffixes),
  })
}

/** Fail with both states when they differ (strings: a byte-identical comparison). */
export function expectUnchanged(after: string, before: string, what: string): void {
  // Parsed first, so a difference is shown where it is rather than as two long strings.
  if (after !== before) expect(JSON.parse(after), what).toEqual(JSON.parse(before))
  expect(after, what).toBe(before)
}
