import { formatReport, reportWarnings } from '../core/report.ts'
import { formatLocation } from '../core/source-location.ts'
import type { ModuleProblem } from './protocol.ts'
import type { SwapReport } from '../core/types.ts'
import { connect } from './connection.ts'
import { installInspector } from './inspector.ts'
import { overlayText, renderOverlay } from './overlay.ts'
import { createPreloader } from './preload.ts'
import { installGate } from './prepared.ts'
import { browser, clientState, doReload, onReload } from './page.ts'
import { setHost } from '../core/host.ts'
import type { ClientState } from './state.ts'

function saves(s: ClientState): string {
  return s.pending.map((p) => `${p.id}@${p.mtime}`).join('|')
}

function problemKey(p: ModuleProblem): string {
  return `${p.file}:${p.line ?? ''}:${p.message}`
}

/** Wire the client up once: the browser host, the server channel, the console, overlay and inspector. */
export function start(): void {
  /** Which save of each module auto mode last tried, so a failed swap is not retried until the next save. */
  const tried = new Map<string, number>()
  let shownProblems = new Set<string>()
  /** The last failed swap, shown until a swap succeeds or a new save arrives (which may well fix it). */
  let failure: { report: SwapReport; saves: string } | undefined
  const preload = createPreloader(browser.evaluator)

  const refreshOverlay = (): void => {
    const s = clientState.current()
    renderOverlay(s.overlay ? overlayText(s.problems, failure?.report) : '')
  }

  const onState = (s: ClientState): void => {
    const next = new Set(s.problems.map(problemKey))
    for (const p of s.problems) {
      if (shownProblems.has(problemKey(p))) continue
      console.error(
        `[hotclass] ${formatLocation(p)}: ${p.message}${p.frame ? `\n${p.frame}` : ''}\nThe old code keeps running.`,
      )
    }
    shownProblems = next
    if (failure && failure.saves !== saves(s)) failure = undefined
    refreshOverlay()
    if (s.mode === 'probe') {
      // Fetching a version the server reported broken would only raise Vite's error overlay.
      const broken = new Set(s.problems.map((p) => p.id))
      preload(s.pending.filter((p) => !broken.has(p.id) && !p.via.some((v) => broken.has(v))))
    }
    if (s.mode === 'auto' && s.pending.some((p) => tried.get(p.id) !== p.mtime)) {
      for (const p of s.pending) tried.set(p.id, p.mtime)
      void doReload()
    }
  }

  installGate()
  setHost(browser.host)
  clientState.subscribe(onState)
  onReload((report) => {
    if (report.ok) {
      failure = undefined
      if (report.modules.length > 0) console.info(`[hotclass] ${formatReport(report)}`)
      for (const warning of reportWarnings(report)) console.warn(`[hotclass] ${warning}`)
    } else {
      failure = { report, saves: saves(clientState.current()) }
      console.error(`[hotclass] ${formatReport(report)}\nThe old code keeps running.`, report.error)
      // The terminal hears it too (src/vite/load-errors.ts; the event is not in the message union yet).
      const error = report.error
      import.meta.hot?.send('hotclass:load-error', {
        message: formatReport(report),
        swap: true,
        ...(error?.file !== undefined && { url: `/${error.file}` }),
        ...(error?.line !== undefined && { line: error.line }),
        ...(error?.column !== undefined && { column: error.column }),
      })
    }
    refreshOverlay()
  })
  installInspector()
  connect(clientState)
}
