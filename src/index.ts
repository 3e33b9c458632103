/**
 * hotclass: classes that keep their identity while their code is edited.
 * The core entry: no DOM, no Node, no Vite. Adapters live in `hotclass/vite`, `hotclass/client`
 * and `hotclass/node`.
 */
export { reloadable } from './core/decorator.ts'
export type { ReloadableDecorator } from './core/decorator.ts'
export { hotswap, swapModules, rollback } from './core/swap.ts'
export { onSwap, formatReport, reportWarnings, changedClasses } from './core/report.ts'
export { inspect, classInfo } from './core/inspect.ts'
export { configure } from './core/config.ts'
export type { ClassInfo, RegistryView } from './core/inspect.ts'
export type { CoreOptions } from './core/config.ts'
export { setHost, defaultHost } from './core/host.ts'
export type { Host } from './core/host.ts'
export { HotclassError, ErrorCodes } from './core/errors.ts'
export type { ErrorCode, SourceLocation } from './core/errors.ts'
export { isProduction } from './core/env.ts'
export type {
  AnyClass,
  ClassChange,
  ModuleStateChange,
  SwapReport,
  ReloadableOptions,
  MigrationContext,
  TransformInfo,
} from './core/types.ts'
export { once, dispose, inspectModules, __module } from './core/continuity/index.ts'
export { __class } from './core/class-body.ts'
export { __ref, __fn } from './core/references.ts'
export type { ModuleInfo, ModuleChange, OnceInfo, Setup } from './core/continuity/index.ts'
