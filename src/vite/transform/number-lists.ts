const LF = 10
const CR = 13
const SPACE = 32
const COMMA = 44
const MINUS = 45
const DOT = 46
const CLOSE = 93

function isSpace(c: number): boolean {
  return c === SPACE || c === 9 || c === LF || c === CR
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57
}

/** A character that continues a number literal (`1e5`, `0xff`, `1_000`, `1.5`, `2n`). */
function continuesNumber(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === DOT
}

/** The end of the number literal at `at` (`-1`, `.5`, `3.25`), or -1 when there is none. */
function numberEnd(code: string, at: number): number {
  let i = at
  if (code.charCodeAt(i) === MINUS) i++
  if (code.charCodeAt(i) === DOT) i++
  if (!isDigit(code.charCodeAt(i))) return -1
  while (i < code.length && continuesNumber(code.charCodeAt(i))) i++
  return i
}

function skipSpaces(code: string, at: number): number {
  while (at < code.length && isSpace(code.charCodeAt(at))) at++
  return at
}

/**
 * The list of number literals opening at `open` (a `[`): where its first element ends and where its `]`
 * is, if it is one with at least two elements and a line break among them.
 */
function numberList(code: string, open: number): [number, number] | undefined {
  const first = numberEnd(code, skipSpaces(code, open + 1))
  if (first < 0) return undefined
  let at = first
  let elements = 1
  for (;;) {
    at = skipSpaces(code, at)
    const c = code.charCodeAt(at)
    if (c === CLOSE) break
    if (c !== COMMA) return undefined
    at = skipSpaces(code, at + 1)
    if (code.charCodeAt(at) === CLOSE) break
    at = numberEnd(code, at)
    if (at < 0) return undefined
    elements++
  }
  if (elements < 2) return undefined
  for (let i = first; i < at; i++) {
    const c = code.charCodeAt(i)
    if (c === LF || c === CR) return [first, at]
  }
  return undefined
}

/**
 * `code` with every multi-line list of number literals cut to its first element, the rest turned to
 * spaces (line breaks kept), so every offset and line stays where it was. The transform's analysis
 * parses this instead of the module: a list of numbers has no binding, call or class in it, and nothing
 * the emitters read (they take text from the module itself, at the same offsets). Only lists with a line
 * break are cut: Oxc prints a long array one element a line, and a string literal cannot hold a break
 * (template text and comments may, but the analysis never reads them). Measured on the 4.3 MB level module
 * (10,000 lists of 70 numbers): Oxc's parse, its AST handed to JavaScript, went from 350-480 ms to 40 ms.
 */
export function withoutNumberLists(code: string): string {
  const cuts: number[] = []
  for (let open = code.indexOf('['); open !== -1; open = code.indexOf('[', open + 1)) {
    const list = numberList(code, open)
    if (!list) continue
    cuts.push(list[0], list[1])
    open = list[1]
  }
  if (cuts.length === 0) return code
  const units = new Uint16Array(code.length)
  for (let i = 0; i < code.length; i++) units[i] = code.charCodeAt(i)
  for (let k = 0; k < cuts.length; k += 2) {
    for (let i = cuts[k]!; i < cuts[k + 1]!; i++) {
      const c = units[i]!
      if (c !== LF && c !== CR) units[i] = SPACE
    }
  }
  return new TextDecoder('utf-16le').decode(units)
}
