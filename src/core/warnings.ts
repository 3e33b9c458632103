/**
 * Warnings that are not about one swap (a swap's own warnings travel in its report): a class made
 * reloadable without the transform, for one. Each is printed once per subject, with its code, and kept
 * for `inspect()`.
 */

export interface HotclassWarning {
  code: string
  subject: string
  message: string
}

const seen = new Set<string>()
const list: HotclassWarning[] = []

export function warnOnce(code: string, subject: string, message: string): void {
  const id = `${code} ${subject}`
  if (seen.has(id)) return
  seen.add(id)
  list.push({ code, subject, message })
  console.warn(`[hotclass] ${code}: ${message}`)
}

export function warnings(): readonly HotclassWarning[] {
  return list
}
