import type { ClassRecord } from './registry.ts'

/**
 * Method references that follow swaps. Game code hands its methods out (`ticker.add(this.update, this)`,
 * `this.onMatch.bind(this)`, `addEventListener('keydown', this.onKey)`, `setInterval(this.decay.bind(this))`)
 * and the holder keeps the function it was given. The transform wraps every member read in such a
 * position in `__ref(...)`: a method of a reloadable class comes back as a forwarder that calls whatever
 * the class holds under that key now, one forwarder per class and key, so the function a holder was
 * given and the one the code passes later to `off()` or `removeEventListener()` are the same object.
 *
 * Calls through the prototype (`obj.update()`) never meet a forwarder: the prototype holds the methods
 * themselves, so they cost what a plain class's do. Only handed-out references pay the extra hop.
 */

interface MethodSite {
  record: ClassRecord
  key: PropertyKey
  isStatic: boolean
}

const sites = new WeakMap<Function, MethodSite>()
const forwarders = new WeakMap<ClassRecord, Map<string, Function>>()

/** Remember where each method of a version is installed, so a reference to it can be redirected. */
export function noteMethods(
  record: ClassRecord,
  members: Iterable<[PropertyKey, PropertyDescriptor]>,
  isStatic: boolean,
): void {
  for (const [key, desc] of members) {
    if ('value' in desc && typeof desc.value === 'function' && !sites.has(desc.value))
      sites.set(desc.value, { record, key, isStatic })
  }
}

function forwarderFor(site: MethodSite, first: Function): Function {
  const id = `${site.isStatic ? 'static ' : ''}${String(site.key)}`
  let table = forwarders.get(site.record)
  if (!table) forwarders.set(site.record, (table = new Map()))
  const known = table.get(id)
  if (known) return known
  const home = (site.isStatic ? site.record.canonical : site.record.canonical.prototype) as Record<PropertyKey, unknown>
  const key = site.key
  let last = first
  const name = typeof key === 'symbol' ? `[${key.description ?? ''}]` : String(key)
  // A method, not a function: no `prototype`, not a constructor, as the method it stands for.
  const forwarder = {
    [name](this: unknown, ...args: unknown[]): unknown {
      const now = home[key]
      if (typeof now === 'function') last = now
      return Reflect.apply(last, this, args)
    },
  }[name]!
  Object.defineProperty(forwarder, 'length', { value: first.length, configurable: true })
  sites.set(forwarder, site)
  table.set(id, forwarder)
  return forwarder
}

/**
 * What the transform wraps around a member read that hands a value out. A method of a reloadable class
 * becomes its forwarder; anything else comes back unchanged. Not for users.
 */
// oxlint-disable-next-line no-underscore-dangle -- the name the transform emits
export function __ref<T>(value: T): T {
  if (typeof value !== 'function') return value
  const site = sites.get(value)
  return site ? (forwarderFor(site, value) as T) : value
}
