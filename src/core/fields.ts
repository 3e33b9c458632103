import type { Members } from './members.ts'
import type { ClassVersion } from './registry.ts'

/**
 * Instance fields, CLOS style: a field a new version adds appears on live instances with the value its
 * initialiser declares, evaluated with `this` bound to the instance. The canonical prototype gets an
 * accessor per declared field; on first read or write it defines the own data property, which from then
 * on shadows the accessor. Instances built by a version that declares the field already have the own
 * property, so construction costs nothing extra. Initialisers come from the build transform.
 */

const lazyGetters = new WeakSet<Function>()

export function isLazyField(desc: PropertyDescriptor): boolean {
  return desc.get !== undefined && lazyGetters.has(desc.get)
}

export function installLazyFields(
  proto: object,
  fields: Record<string, (this: object) => unknown> | undefined,
  members: Members,
): void {
  if (!fields) return
  for (const [name, init] of Object.entries(fields)) {
    if (members.has(name)) continue // a method or accessor of the same name wins, as in a class body
    const own = (target: object, value: unknown): void => {
      Object.defineProperty(target, name, { value, writable: true, enumerable: true, configurable: true })
    }
    const get = function (this: object): unknown {
      if (this === proto) return undefined
      const value = init.call(this)
      own(this, value)
      return value
    }
    lazyGetters.add(get)
    Object.defineProperty(proto, name, {
      get,
      set(this: object, value: unknown) {
        own(this, value)
      },
      enumerable: false,
      configurable: true,
    })
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
      if (/=>/.test(src)) out.set(name, src)
    }
    return out
  }
  const src = Function.prototype.toString.call(version.cls)
  for (const m of src.matchAll(ARROW_FIELD)) {
    const start = m.index
    const end = src.indexOf('\n', start + m[0].length)
    out.set(m[1]!, src.slice(start, end === -1 ? undefined : end))
  }
  return out
}

/** Methods the constructor binds onto the instance (`this.onHit = this.onHit.bind(this)`). */
export function boundMethodNames(cls: Function): string[] {
  const src = Function.prototype.toString.call(cls)
  return [...src.matchAll(/this\.([A-Za-z_$][\w$]*)\s*=\s*this\.\1\.bind\(/g)].map((m) => m[1]!)
}
