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
const options = Object.freeze({ historyLimit: 0, reportLimit: 0 })
const view: RegistryView = Object.freeze({
  classes: [],
  history: [],
  reports: [],
  lastReport: undefined,
  swapCount: 0,
  options,
})
export const inspect: typeof dev.inspect = () => view
export const classInfo: typeof dev.classInfo = () => undefined
export const configure: typeof dev.configure = () => options
const host: ReturnType<typeof dev.defaultHost> = Object.freeze({
  root: '/',
  resolve: String,
  importModule: () => Promise.resolve(undefined),
  moduleId: String,
  isNotFound: () => false,
})
export const defaultHost: typeof dev.defaultHost = () => host
export const setHost: typeof dev.setHost = () => host
export const isProduction: typeof dev.isProduction = () => true
