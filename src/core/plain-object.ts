/**
 * Whether `value` is an object a literal or `JSON.parse` makes: its prototype is `Object.prototype` or
 * null. Class instances, arrays, maps and dates are not: updating them key by key would lose what they are.
 * @example
 * isPlainObject({ a: 1 }) // true
 * isPlainObject(new Date()) // false
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}
