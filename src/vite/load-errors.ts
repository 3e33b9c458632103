import type { ModuleProblem } from '../client/protocol.ts'

/**
 * Errors that stop the page's modules from loading at all — the browser refusing an import ("does not
 * provide an export named …"), a module throwing while it is first evaluated — happen where the dev
 * server cannot see them, and take the hotclass client down with the rest of the module graph. A tiny
 * module of its own, injected ahead of the game's scripts, hears them (`error` and
 * `unhandledrejection` on window) and sends them to the server, which prints them in the terminal and
 * shows them in the page through Vite's error overlay and the `onProblems` stream.
 *
 * The event belongs in the `ClientMessage` union of src/core/messages.ts; until it is there, it is
 * defined and validated here.
 */
export const LOAD_ERROR_EVENT = 'hotclass:load-error'

export interface LoadErrorMessage {
  message: string
  /** The module URL the browser names (the importer, for a refused import). */
  url?: string
  line?: number
  column?: number
  /** A swap that failed to load (the page shows it already): the terminal only. */
  swap?: boolean
}

/** The virtual module's id as the page imports it, and as the plugin resolves it. */
export const LOAD_ERRORS_ID = 'virtual:hotclass/load-errors'
export const RESOLVED_LOAD_ERRORS_ID = '\0hotclass-load-errors'

/** Runs in the page, before any game module; plain JavaScript, served as it is. */
export const loadErrorsModule = `
const hot = import.meta.hot
const seen = new Set()
function report(error, url, line, column) {
  const message = String((error && error.message) || error || 'unknown error')
  const key = message + '|' + (url || '')
  if (!hot || seen.has(key)) return
  seen.add(key)
  hot.send(${JSON.stringify(LOAD_ERROR_EVENT)}, { message, url: url || undefined, line: line || undefined, column: column || undefined })
}
if (hot) {
  addEventListener('error', (e) => {
    if (e.error instanceof SyntaxError || /module|import|export/i.test(String(e.message))) {
      report(e.error || e.message, e.filename, e.lineno, e.colno)
    }
  })
  addEventListener('unhandledrejection', (e) => {
    const r = e.reason
    if (r instanceof TypeError && /dynamically imported module|Importing a module script failed/.test(r.message)) report(r)
    else if (r instanceof SyntaxError) report(r)
  })
}
`

/** Validate what a page sent: a message and, where known, where. Anything else is dropped. */
export function parseLoadError(data: unknown): LoadErrorMessage | undefined {
  if (typeof data !== 'object' || data === null) return undefined
  const d = data as Record<string, unknown>
  if (typeof d['message'] !== 'string' || d['message'].length === 0) return undefined
  const out: LoadErrorMessage = { message: d['message'].slice(0, 2000) }
  if (typeof d['url'] === 'string') out.url = d['url'].slice(0, 2000)
  if (typeof d['line'] === 'number' && Number.isInteger(d['line'])) out.line = d['line']
  if (typeof d['column'] === 'number' && Number.isInteger(d['column'])) out.column = d['column']
  if (d['swap'] === true) out.swap = true
  return out
}

/** What to say about a refused import: the common cause, and the fix. */
export function loadErrorHint(message: string): string | undefined {
  const name = /does not provide an export named '([^']+)'/.exec(message)?.[1]
  // A capitalised class name in a module a swap just re-imported is usually a version caught mid-save,
  // not a type: the hint is for the page's own first load.
  if (!name || /\?t=\d+/.test(message)) return undefined
  return `if '${name}' is a type, import it with \`import type { ${name} }\` (or turn on "verbatimModuleSyntax" in tsconfig.json so TypeScript points such imports out)`
}

/** The problem the page and the terminal show, with the file as a root-relative id. */
export function loadProblem(error: LoadErrorMessage, idOf: (url: string) => string): ModuleProblem {
  const id = error.url ? idOf(error.url) : 'page'
  const hint = loadErrorHint(error.message)
  const problem: ModuleProblem = { id, file: id, message: hint ? `${error.message}; ${hint}` : error.message }
  if (error.line !== undefined) problem.line = error.line
  if (error.column !== undefined) problem.column = error.column
  return problem
}
