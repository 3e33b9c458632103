import { plainMessage } from './errors.ts'
import type { SourceLocation } from './errors.ts'

/**
 * `file:line:col`, or as much of it as is known: how editors and terminals link to a place in source.
 * @example
 * formatLocation({ file: 'src/Enemy.ts', line: 3 }) // 'src/Enemy.ts:3'
 */
export function formatLocation(loc: SourceLocation): string {
  if (loc.line === undefined) return loc.file
  return `${loc.file}:${loc.line}${loc.column !== undefined ? `:${loc.column}` : ''}`
}

/**
 * Where an error points in the user's source: Vite's `loc`, else a `file:line:col` in the message (how
 * Oxc prints parse errors), else the first stack frame inside the module.
 */
export function locate(error: unknown, url: string, moduleId: (u: string) => string): SourceLocation | undefined {
  const path = url.replace(/[?#].*$/, '')
  const plain = path.replace(/^file:\/\//, '')
  const file = moduleId(path)
  const seen = new Set<unknown>()
  for (let e = error as Record<string, any> | undefined; e && typeof e === 'object' && !seen.has(e); e = e['cause']) {
    seen.add(e)
    const loc = e['loc'] as { file?: string; line?: number; column?: number } | undefined
    if (loc && typeof loc.line === 'number') {
      return {
        file: loc.file ? moduleId(loc.file) : file,
        line: loc.line,
        ...(loc.column !== undefined && { column: loc.column }),
      }
    }
    const inMessage = /([^\s[\]()]+?)(?:\?[^\s:\]]*)?:(\d+):(\d+)/.exec(plainMessage(e))
    if (inMessage && (plain.endsWith(inMessage[1]!) || inMessage[1]!.endsWith(file))) {
      return { file, line: Number(inMessage[2]), column: Number(inMessage[3]) }
    }
    for (const frame of String(e['stack'] ?? '').split('\n')) {
      const at = frame.indexOf(plain)
      if (at < 0) continue
      const m = /:(\d+):(\d+)/.exec(frame.slice(at + plain.length))
      if (m) return { file, line: Number(m[1]), column: Number(m[2]) }
    }
  }
  return { file }
}
