import { relative } from 'node:path'
import type { ModuleProblem } from '../client/protocol.ts'
import { stripAnsi } from '../core/ansi.ts'

/**
 * Turn what Vite throws for a module that does not transform (Oxc's syntax and type-stripping errors,
 * a plugin's error) into the problem the page shows: root-relative file, line, column and code frame.
 */
export function problemOf(error: unknown, id: string, root: string): ModuleProblem {
  const e = (error ?? {}) as OxcishError & { errors?: OxcishError[] }
  // Oxc reports "Transform failed with N errors" and puts each error, with its location, in `errors`.
  const first = e.loc ? e : (e.errors?.find((x) => x.loc) ?? e)
  const rawFile = first.loc?.file ?? (typeof first.id === 'string' ? first.id : undefined) ?? e.id
  const file = typeof rawFile === 'string' ? toId(rawFile, root) : id
  const [headline = '', ...rest] = stripAnsi(String(first.message ?? error))
    .split('\n')
    .filter((l) => l.trim() !== '')
  const problem: ModuleProblem = { id, file, message: headline.replace(/^\[plugin:[^\]]+\]\s*/, '').trim() }
  if (typeof first.loc?.line === 'number') problem.line = first.loc.line
  // Rollup-style locations count columns from 0; editors and the code frame count from 1.
  if (typeof first.loc?.column === 'number') problem.column = first.loc.column + 1
  const frame = typeof first.frame === 'string' && first.frame.trim() !== '' ? stripAnsi(first.frame) : rest.join('\n')
  if (frame.trim() !== '') problem.frame = frame
  return problem
}

interface OxcishError {
  message?: unknown
  id?: unknown
  frame?: unknown
  loc?: { file?: string; line?: number; column?: number }
}

/** A root-relative id for an absolute file path (query stripped); other paths are returned as they are. */
export function toId(file: string, root: string): string {
  const clean = file.replace(/[?#].*$/, '')
  return clean.startsWith(`${root}/`) ? relative(root, clean).replace(/\\/g, '/') : clean
}
