/** Keys a class or prototype has by nature, which stay where they are. */
export const NATURAL_KEYS: ReadonlySet<PropertyKey> = new Set(['length', 'name', 'prototype', 'constructor'])

/**
 * Put `target`'s own keys in `order` (keys it does not name come after, as they are), by defining them
 * again, when they are not in that order already: reflection, `Object.keys`, JSON and spread list keys
 * in the order they were added, and swaps delete and re-add members. Natural keys stay where they are.
 */
export function putInOrder(target: object, order: readonly PropertyKey[]): void {
  const own = Reflect.ownKeys(target).filter((k) => !NATURAL_KEYS.has(k))
  const wanted = [
    ...order.filter((k) => !NATURAL_KEYS.has(k) && own.includes(k as string | symbol)),
    ...own.filter((k) => !order.includes(k)),
  ]
  // Strings and symbols are listed apart (integer keys first): compare each kind in its own order.
  const same = (['string', 'symbol'] as const).every((t) => {
    const a = own.filter((k) => typeof k === t)
    const b = wanted.filter((k) => typeof k === t)
    return a.every((k, i) => k === b[i])
  })
  if (same) return
  const descriptors = wanted.map((k) => [k, Object.getOwnPropertyDescriptor(target, k)!] as const)
  if (descriptors.some(([, d]) => !d.configurable)) return
  for (const [k] of descriptors) Reflect.deleteProperty(target, k)
  for (const [k, d] of descriptors) Object.defineProperty(target, k, d)
}
