import { relative } from 'node:path'
import type { ModuleProblem } from '../core/messages.ts'

/**
 * Turn what Vite throws for a module that does not transform (Oxc's syntax and type-stripping errors,
 * a plugin's error) into the problem the page shows: root-relative file, line, column and code frame.
 */
export function problemOf(error: unknown, id: string, root: string): ModuleProblem {
  const e = (error ?? {}) as {
    message?: unknown
    id?: unknown
    frame?: unknown
    loc?: { file?: string; line?: number; column?: number }
  }
  const rawFile = e.loc?.file ?? (typeof e.id === 'string' ? e.id : undefined)
  const file = rawFile ? toId(rawFile, root) : id
  const problem: ModuleProblem = { id, file, message: firstLine(String(e.message ?? error)) }
  if (typeof e.loc?.line === 'number') problem.line = e.loc.line
  if (typeof e.loc?.column === 'number') problem.column = e.loc.column
  if (typeof e.frame === 'string' && e.frame.trim() !== '') problem.frame = e.frame
  return problem
}

/** A root-relative id for an absolute file path (query stripped); other paths are returned as they are. */
export function toId(file: string, root: string): string {
  const clean = file.replace(/[?#].*$/, '')
  return clean.startsWith(`${root}/`) ? relative(root, clean).replace(/\\/g, '/') : clean
}

function firstLine(message: string): string {
  // Vite prefixes `[plugin:vite:oxc] /abs/path.ts:` and appends frames; the page wants the sentence.
  const line = message.split('\n').find((l) => l.trim() !== '') ?? message
  return line.replace(/^\[plugin:[^\]]+\]\s*/, '').trim()
}
