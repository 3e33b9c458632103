/**
 * Continuity: module state, function identity and plain data that survive a swap. The transform in
 * `hotclass/vite` rewrites each module to call `__module`; users see `once`, `dispose` and
 * `inspectModules`.
 */
export { once, dispose } from './lifecycle.ts'
export type { OnceInfo, Setup } from './lifecycle.ts'
export { __module } from './store.ts'
export type { ModuleChange, ModuleMeta } from './store.ts'
export { inspectModules } from './inspect.ts'
export type { ModuleInfo } from './inspect.ts'
