/**
 * hotclass/client: the browser runtime for development. Importing it connects the page to the hotclass
 * Vite plugin; `installProbe()` makes F5 swap pending changes instead of reloading the page.
 * In `vite build` this entry resolves to `./prod.ts`, where every function does nothing.
 */
import { start } from './start.ts'

export { installProbe, probeReload, createProbe } from './probe.ts'
export type { ProbeOptions } from './probe.ts'
export { doReload, onReload } from './page.ts'
export { onPending, onProblems, pendingModules } from './pending.ts'
export type { HotclassInspector } from './inspector.ts'
export type { PendingModule, ModuleProblem } from './protocol.ts'

start()
