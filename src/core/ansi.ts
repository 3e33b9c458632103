// Built from the code point so the pattern holds no raw control character.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g')

/**
 * Text without terminal colours: Vite and Oxc colour their messages, which a browser overlay, a report
 * and a pattern match must not see.
 * @example
 * stripAnsi('\u001b[31merror\u001b[39m') // 'error'
 */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '')
}
