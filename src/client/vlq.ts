/**
 * Source-map VLQ numbers (Base64 digits, five bits each, the low bit the sign): the page decodes them
 * (source-map.ts), the dev server and the Node host write them (vite/compact.ts, vite/line-map.ts).
 */

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/** Each Base64 character's digit by char code, -1 for anything else (`,` `;` end a number). */
const DIGITS = new Int8Array(128).fill(-1)
for (let i = 0; i < B64.length; i++) DIGITS[B64.charCodeAt(i)] = i

/** One signed number in source-map VLQ. */
export function vlq(n: number): string {
  let value = n < 0 ? (-n << 1) | 1 : n << 1
  let out = ''
  do {
    let digit = value & 31
    value >>>= 5
    if (value > 0) digit |= 32
    out += B64[digit]
  } while (value > 0)
  return out
}

/**
 * Write one signed VLQ number into `bytes` at `at` (ASCII) and return the offset after it: a map of a
 * 700,000-line module is built without a string per segment.
 */
export function writeVlq(bytes: Uint8Array, at: number, n: number): number {
  let value = n < 0 ? (-n << 1) | 1 : n << 1
  do {
    let digit = value & 31
    value >>>= 5
    if (value > 0) digit |= 32
    bytes[at++] = B64.charCodeAt(digit)
  } while (value > 0)
  return at
}

/** The digit of one Base64 character code (-1 when it is not one). */
export function vlqDigit(code: number): number {
  return code < 128 ? DIGITS[code]! : -1
}
