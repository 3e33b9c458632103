import { createHash } from 'node:crypto'

/** A short, stable digest of a declaration's text: equal text, equal hash. */
export function hashText(text: string): string {
  return createHash('sha1').update(text).digest('base64url').slice(0, 12)
}
