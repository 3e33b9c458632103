import type { ModuleProblem } from './protocol.ts'

/** Vite's serialised error (`prepareError`): what its `error` payload and its 500 page carry. */
export interface ViteError {
  message: string
  id?: string
  frame?: string
  loc?: { file?: string; line: number; column: number }
}

/**
 * The problem a Vite error describes. Oxc's "Transform failed" errors carry no `loc` once serialised;
 * their message still names the place as `[ path:line:column ]`.
 */
export function problemFromViteError(err: ViteError, id: string): ModuleProblem {
  const lines = err.message.split('\n').filter((l) => l.trim() !== '')
  const problem: ModuleProblem = { id, file: err.loc?.file ?? err.id ?? id, message: lines[0] ?? err.message }
  if (err.loc) {
    problem.line = err.loc.line
    // Rollup-style columns count from 0; the page shows them as editors do, from 1.
    problem.column = err.loc.column + 1
  } else {
    const m = /\[\s*([^\s\]]+):(\d+):(\d+)\s*\]/.exec(err.message)
    if (m) {
      problem.line = Number(m[2])
      problem.column = Number(m[3])
      problem.message = lines.find((l) => /^\[[A-Z_]+\]/.test(l.trim()))?.trim() ?? problem.message
    }
  }
  if (err.frame) problem.frame = err.frame
  return problem
}
