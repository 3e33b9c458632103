/**
 * What `hotclass/client` resolves to in `vite build`: the same names, doing nothing, so game code that
 * installs the probe or shows reload reports builds unchanged and ships no hot-swap code.
 */
import type * as dev from './index.ts'
import type { SwapReport } from '../core/types.ts'

const nothing = (): void => undefined
// Built with `/* @__PURE__ */` so a bundle that does not use a value drops it entirely.
const noReport: SwapReport = /* @__PURE__ */ Object.freeze({
  ok: true,
  modules: [],
  classes: [],
  durationMs: 0,
  patchMs: 0,
  kind: 'swap',
})

export const installProbe: typeof dev.installProbe = () => nothing
export const createProbe: typeof dev.createProbe = () => () => undefined
export const probeReload: typeof dev.probeReload = () => undefined
export const doReload: typeof dev.doReload = () => Promise.resolve(noReport)
export const onReload: typeof dev.onReload = () => nothing
export const onPending: typeof dev.onPending = () => nothing
export const onProblems: typeof dev.onProblems = () => nothing
export const pendingModules: typeof dev.pendingModules = () => []
