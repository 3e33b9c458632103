import { isPlainObject } from './plain-object.ts'

/**
 * Reading class members as property descriptors, naming them for reports and telling whether two
 * versions of a member differ. Members are always copied as descriptors, never by assignment, so
 * accessors, non-enumerable methods and symbol keys survive a swap.
 */

export type Members = Map<PropertyKey, PropertyDescriptor>

/** Keys a class constructor has by nature, which are never copied as statics. */
const CONSTRUCTOR_KEYS = new Set<PropertyKey>(['length', 'name', 'prototype', 'arguments', 'caller'])

/** Own members of a prototype, without `constructor`. */
export function prototypeMembers(proto: object): Members {
  const out: Members = new Map()
  for (const key of Reflect.ownKeys(proto)) {
    if (key === 'constructor') continue
    out.set(key, Object.getOwnPropertyDescriptor(proto, key)!)
  }
  return out
}

/** Own static members of a class constructor, without `length`, `name` and `prototype`. */
export function staticMembers(cls: object): Members {
  const out: Members = new Map()
  for (const key of Reflect.ownKeys(cls)) {
    if (CONSTRUCTOR_KEYS.has(key)) continue
    out.set(key, Object.getOwnPropertyDescriptor(cls, key)!)
  }
  return out
}

/** Every own property of an object, `prototype` of a constructor included (for snapshots). */
export function allOwn(obj: object): Members {
  const out: Members = new Map()
  for (const key of Reflect.ownKeys(obj)) out.set(key, Object.getOwnPropertyDescriptor(obj, key)!)
  return out
}

/** `'speed'`, `'static MAX'`, `'[Symbol.iterator]'`. */
export function memberName(key: PropertyKey, isStatic = false): string {
  const base = typeof key === 'symbol' ? `[${symbolName(key)}]` : String(key)
  return isStatic ? `static ${base}` : base
}

function symbolName(sym: symbol): string {
  const desc = sym.description ?? ''
  // Well-known symbols print as `Symbol.iterator`; registered and plain ones as `Symbol(desc)`.
  if (desc.startsWith('Symbol.')) return desc
  return `Symbol(${desc})`
}

/**
 * What Vite's module runner writes in place of what the module wrote: `(0, __vite_ssr_import_1__.fn)(...)`
 * and `__vite_ssr_import_1__.x` for an imported binding, `__vite_ssr_import_meta__` for `import.meta`,
 * and a `;` after the `}` of a block. A version evaluated by the runner (the Node host, the browser's
 * `evaluate: 'function'`) and one evaluated as a module must read as the same source where the module's
 * text is the same, and adding an import renumbers the runner's names after it.
 */
const RUNNER_NAMES =
  /\(0,\s*__vite_ssr_import_\d+__\.([\w$]+)\)|__vite_ssr_import_\d+__\.([\w$]+)|__vite_ssr_import_meta__|\};/g

/**
 * Source text as comparable across versions: the runner's names read as the module wrote them (an import
 * read through an alias or a namespace reads as the imported name, so such a member can be reported as
 * changed when only how it was loaded changed).
 */
export function comparableText(text: string): string {
  return text.replace(
    RUNNER_NAMES,
    (all: string, call?: string, read?: string) => call ?? read ?? (all === '};' ? '}' : 'import.meta'),
  )
}

/** A function's comparable source text (`comparableText`), or undefined for anything else. */
export function source(fn: unknown): string | undefined {
  return typeof fn === 'function' ? comparableText(Function.prototype.toString.call(fn)) : undefined
}

/** Whether two values are the same declared data: primitives by `Object.is`, plain data structurally. */
export function sameData(a: unknown, b: unknown, depth = 0): boolean {
  if (Object.is(a, b)) return true
  if (depth > 8 || typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const pa = Object.getPrototypeOf(a)
  if (pa !== Object.getPrototypeOf(b) || (pa !== Object.prototype && pa !== Array.prototype && pa !== null))
    return false
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  if (ka.length !== kb.length) return false
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false
    if (!sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], depth + 1)) return false
  }
  return true
}

/** Whether a member's code or value changed between two versions. Functions compare by source text. */
export function memberChanged(a: PropertyDescriptor, b: PropertyDescriptor): boolean {
  if ('value' in a !== 'value' in b) return true
  if ('value' in a) {
    if (typeof a.value === 'function' || typeof b.value === 'function') return source(a.value) !== source(b.value)
    return !sameData(a.value, b.value)
  }
  return source(a.get) !== source(b.get) || source(a.set) !== source(b.set)
}

/** Whether a descriptor holds code (a method or an accessor) rather than data. */
export function isCode(desc: PropertyDescriptor): boolean {
  return !('value' in desc) || typeof desc.value === 'function'
}

/**
 * Names of `#private` members a class declares, found in its source text. A swapped method that uses
 * `#x` throws a TypeError on every instance made by an older version, which lacks that brand.
 * Strings, template literals and comments are blanked first so `'#fff'` is not mistaken for one.
 */
export function privateNames(cls: Function): string[] {
  const text = blankLiterals(Function.prototype.toString.call(cls))
  const names = new Set<string>()
  for (const m of text.matchAll(/(?<![\w$\\])#([A-Za-z_$][\w$]*)/g)) names.add(`#${m[1]}`)
  return [...names]
}

function blankLiterals(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`/g, (s) =>
    ' '.repeat(s.length),
  )
}

/**
 * A deep copy of plain data (objects, arrays, primitives), for remembering a declared value: the live
 * object is mutated by the game, and the three-way merge must compare against what was declared.
 * Anything else (class instances, maps, functions) is kept by reference and compared by identity.
 */
export function cloneData(value: unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null || depth > 8) return value
  if (Array.isArray(value)) return value.map((v) => cloneData(v, depth + 1))
  if (!isPlainObject(value)) return value
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value)) out[key] = cloneData((value as Record<string, unknown>)[key], depth + 1)
  return out
}
