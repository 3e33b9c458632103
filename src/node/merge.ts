import { isPlainObject } from '../core/plain-object.ts'

/**
 * Update a config object in place so that code holding it, or any object or array inside it, sees the
 * new values (lume.hotswap's table update, for JSON data). Returns the dotted paths that changed.
 */
export function updateInPlace(target: Record<string, unknown>, next: Record<string, unknown>): string[] {
  const changed: string[] = []
  mergeObject(target, next, '', changed)
  return changed
}

function join(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key
}

/** The value to store at a slot: the old container updated in place when both sides have one. */
function mergeValue(old: unknown, next: unknown, path: string, changed: string[]): unknown {
  if (isPlainObject(old) && isPlainObject(next)) {
    mergeObject(old, next, path, changed)
    return old
  }
  if (Array.isArray(old) && Array.isArray(next)) {
    mergeArray(old, next, path, changed)
    return old
  }
  if (!Object.is(old, next)) changed.push(path)
  return next
}

function mergeObject(
  target: Record<string, unknown>,
  next: Record<string, unknown>,
  path: string,
  changed: string[],
): void {
  for (const key of Object.keys(target)) {
    if (!Object.hasOwn(next, key)) {
      delete target[key]
      changed.push(join(path, key))
    }
  }
  for (const [key, value] of Object.entries(next)) {
    const at = join(path, key)
    if (!Object.hasOwn(target, key)) {
      target[key] = value
      changed.push(at)
    } else {
      target[key] = mergeValue(target[key], value, at, changed)
    }
  }
}

function mergeArray(target: unknown[], next: unknown[], path: string, changed: string[]): void {
  if (target.length !== next.length) changed.push(`${path}.length`)
  const shared = Math.min(target.length, next.length)
  for (let i = 0; i < shared; i++) target[i] = mergeValue(target[i], next[i], join(path, i), changed)
  target.length = next.length
  for (let i = shared; i < next.length; i++) target[i] = next[i]
}
