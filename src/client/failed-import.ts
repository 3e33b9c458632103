import type { ModuleProblem } from './protocol.ts'
import { problemFromViteError } from './vite-errors.ts'
import type { ViteError } from './vite-errors.ts'
import { inlineMap, originalPosition } from './source-map.ts'
import type { ClientState } from './state.ts'

/** What the page knows of broken modules: the server's state and Vite's own error reports. */
export interface KnownProblems {
  current(): Pick<ClientState, 'pending' | 'problems'> & Partial<Pick<ClientState, 'evaluate'>>
  viteErrors: ReadonlyMap<string, ModuleProblem>
}

/** The error shape the core reads a source location from (`loc`, as Vite's own errors carry). */
type Located = Error & { loc?: { file: string; line?: number; column?: number }; frame?: string; code?: string }

/** An error carrying a problem's location and code frame, as a failed swap reports it. */
export function problemError(problem: ModuleProblem): Located {
  const err: Located = new Error(problem.frame ? `${problem.message}\n${problem.frame}` : problem.message)
  err.loc = { file: problem.file }
  if (problem.line !== undefined) err.loc.line = problem.line
  if (problem.column !== undefined) err.loc.column = problem.column
  if (problem.frame !== undefined) err.frame = problem.frame
  return err
}

/**
 * The server's report that this module, or a non-swappable file it carries, does not transform. A swap
 * fails on it at once, without asking the dev server for code it knows is broken (which would also
 * raise Vite's own error overlay over the game).
 */
export function brokenBeforeImport(id: string, known: KnownProblems): Located | undefined {
  const { problems, pending } = known.current()
  const related = new Set([id, ...(pending.find((p) => p.id === id)?.via ?? [])])
  const problem = problems.find((p) => related.has(p.id))
  return problem ? problemError(problem) : undefined
}

/** A problem the server or Vite already reported for this module or for a file it pulls in. */
function knownProblem(id: string, known: KnownProblems): ModuleProblem | undefined {
  const { problems, pending } = known.current()
  const related = new Set([id, ...(pending.find((p) => p.id === id)?.via ?? [])])
  return (
    problems.find((p) => related.has(p.id)) ??
    [...known.viteErrors.values()].find((p) => related.has(p.id) || p.file.endsWith(`/${id}`)) ??
    problems[0]
  )
}

/**
 * Explain why `import(url)` failed, with the file and line the user should look at. The browser only
 * says "Failed to fetch dynamically imported module" for a 404 and a transform error alike, and gives
 * positions in the served code for a throw while loading, so this asks the server's reports, the
 * response and the module's source map.
 */
export async function explainFailedImport(
  error: unknown,
  url: string,
  id: string,
  known: KnownProblems,
): Promise<unknown> {
  const fetchFailed =
    error instanceof TypeError && /dynamically imported module|Importing a module script failed/i.test(error.message)
  if (fetchFailed) {
    const response = await fetch(url).catch(() => undefined)
    if (response?.status === 404) {
      return Object.assign(new Error(`${id} is not served by the dev server (404)`), { code: 'ERR_MODULE_NOT_FOUND' })
    }
    const problem =
      knownProblem(id, known) ??
      (response && response.status >= 500 ? fromErrorPage(await response.text(), id) : undefined)
    return problem ? problemError(problem) : error
  }
  return (await locateThrow(error, url, id)) ?? error
}

/** Vite's 500 page embeds the error as JSON (`const error = {...}`). */
function fromErrorPage(html: string, id: string): ModuleProblem | undefined {
  const m = /const error = (\{.*\})\s*$/m.exec(html)
  if (!m) return undefined
  try {
    return problemFromViteError(JSON.parse(m[1]!) as ViteError, id)
  } catch {
    return undefined
  }
}

/**
 * For a throw while the module evaluated: the source line of the first stack frame in that module.
 * `served` is the text the frame's positions are in when the page has it (a version evaluated as a
 * function, src/client/evaluate.ts); otherwise the module is fetched again.
 */
export async function locateThrow(
  error: unknown,
  url: string,
  id: string,
  served?: string,
): Promise<Located | undefined> {
  if (!(error instanceof Error) || !error.stack) return undefined
  const frame = error.stack.split('\n').find((l) => l.includes(url))
  const m = frame && /:(\d+):(\d+)\)?\s*$/.exec(frame)
  if (!m) return undefined
  const code =
    served ??
    (await fetch(url)
      .then((r) => r.text())
      .catch(() => ''))
  const map = inlineMap(code)
  const pos = map && originalPosition(map, Number(m[1]), Number(m[2]))
  if (!pos) return undefined
  const located = error as Located
  // A served module maps to one source, itself: name it by its id, not by the map's path form.
  located.loc = { file: id, line: pos.line, column: pos.column }
  return located
}
