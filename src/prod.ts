/**
 * What `hotclass` resolves to in `vite build` (the plugin aliases it here): the decorator is the
 * identity and nothing registers, patches or listens, so no hot-swap runtime ships. Every export of
 * the development entry exists with the same type, so game code builds unchanged.
 */
import type * as dev from './index.ts'
import type { RegistryView } from './core/inspect.ts'
import type { SwapReport } from './core/types.ts'

export { HotclassError, ErrorCodes } from './core/errors.ts'

const identity = <C>(value: C): C => value
const nothing = (): void => undefined

/** A production build has nothing to swap: every swap call reports that it did nothing. */
function noSwap(kind: SwapReport['kind']): Promise<SwapReport> {
  return Promise.resolve({ ok: true, modules: [], classes: [], durationMs: 0, patchMs: 0, kind })
}

export const reloadable: typeof dev.reloadable = () => identity
export const hotswap: typeof dev.hotswap = () => noSwap('swap')
export const swapModules: typeof dev.swapModules = () => noSwap('swap')
export const rollback: typeof dev.rollback = () => noSwap('rollback')
export const onSwap: typeof dev.onSwap = () => nothing
export const formatReport: typeof dev.formatReport = (report) => (report.ok ? 'nothing swapped' : 'swap failed')
export const changedClasses: typeof dev.changedClasses = () => []
// Built with `/* @__PURE__ */` so a bundle that does not use a value drops it entirely.
const options = /* @__PURE__ */ Object.freeze({ historyLimit: 0, reportLimit: 0 })
const view: RegistryView = /* @__PURE__ */ Object.freeze({
  classes: [],
  history: [],
  reports: [],
  lastReport: undefined,
  swapCount: 0,
  options,
  warnings: [],
})
export const inspect: typeof dev.inspect = () => view
export const classInfo: typeof dev.classInfo = () => undefined
export const configure: typeof dev.configure = () => options
const host: ReturnType<typeof dev.defaultHost> = /* @__PURE__ */ Object.freeze({
  root: '/',
  resolve: String,
  importModule: () => Promise.resolve(undefined),
  moduleId: String,
  isNotFound: () => false,
})
export const defaultHost: typeof dev.defaultHost = () => host
export const setHost: typeof dev.setHost = () => host
export const isProduction: typeof dev.isProduction = () => true

// Continuity (module state, once/dispose): a production bundle evaluates every module exactly once.
export const once: typeof dev.once = (setup) => void setup()
export const dispose: typeof dev.dispose = nothing
export const inspectModules: typeof dev.inspectModules = () => []
/** Only transformed code calls this, and the plugin does not transform in `vite build`. */
// oxlint-disable-next-line no-underscore-dangle -- the name the transform emits
export const __module: typeof dev.__module = () => {
  throw new Error('hotclass: __module() is development-only; this bundle was transformed for the dev server')
}
/** Only transformed code calls this, and the plugin does not transform in `vite build`. */
// oxlint-disable-next-line no-underscore-dangle -- the name the transform emits
export const __class: typeof dev.__class = {
  open: (cls) => cls,
  decorators: (_C, list) => list,
  want: () => true,
  define: (C, key, value) =>
    void Object.defineProperty(C, key, { value, writable: true, enumerable: true, configurable: true }),
  assign: (C, key, value) => void ((C as Record<PropertyKey, unknown>)[key] = value),
  block: () => true,
  private: nothing,
}
// oxlint-disable-next-line no-underscore-dangle -- the name the transform emits
export const __ref: typeof dev.__ref = (value) => value
// oxlint-disable-next-line no-underscore-dangle -- the name the transform emits
export const __fn: typeof dev.__fn = (fn) => fn
export const reportWarnings: typeof dev.reportWarnings = () => []
