/** Keys a class or prototype has by nature, which stay where they are. */
export const NATURAL_KEYS: ReadonlySet<PropertyKey> = new Set(['length', 'name', 'prototype', 'constructor'])

/**
 * Put `target`'s own keys in `order` (keys it does not name come after, as they are) when they are not in
 * that order already: reflection, `Object.keys`, JSON and spread list keys in the order they were added.
 * Keys before the first one out of place stay; that one and those after it are defined again, in order
 * (deleting a key of a prototype costs V8 a rebuild of the object, so only the keys that must move go).
 * `natural` keys stay where they are: a class's own `length`, `name` and `prototype` by default.
 */
export function putInOrder(
  target: object,
  order: readonly PropertyKey[],
  natural: ReadonlySet<PropertyKey> = NATURAL_KEYS,
): void {
  const own = Reflect.ownKeys(target).filter((k) => !natural.has(k))
  const ownSet = new Set<PropertyKey>(own)
  const named = new Set<PropertyKey>(order)
  const wanted = [...order.filter((k) => !natural.has(k) && ownSet.has(k)), ...own.filter((k) => !named.has(k))]
  // Strings and symbols are listed apart (integer keys first): compare each kind in its own order.
  const moving: PropertyKey[] = []
  for (const kind of ['string', 'symbol'] as const) {
    const is = own.filter((k) => typeof k === kind)
    const want = wanted.filter((k) => typeof k === kind)
    let same = 0
    while (same < is.length && is[same] === want[same]) same++
    moving.push(...want.slice(same))
  }
  if (moving.length === 0) return
  const descriptors = moving.map((k) => [k, Object.getOwnPropertyDescriptor(target, k)!] as const)
  if (descriptors.some(([, d]) => !d.configurable)) return
  for (const [k] of descriptors) Reflect.deleteProperty(target, k)
  for (const [k, d] of descriptors) Object.defineProperty(target, k, d)
}
