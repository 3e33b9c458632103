import { options } from './config.ts'
import type { CoreOptions } from './config.ts'
import { instancesOf } from './instances.ts'
import { warnings } from './warnings.ts'
import type { HotclassWarning } from './warnings.ts'
import { allRecords, recordOf } from './registry.ts'
import { committedSwaps, recentReports } from './report.ts'
import { swapHistory } from './swap.ts'
import type { AnyClass, SwapReport } from './types.ts'

/** One reloadable class, as tools and overlays see it. */
export interface ClassInfo {
  id: string
  name: string
  module: string | undefined
  /** The canonical class object (what `instanceof` checks against). */
  canonical: AnyClass
  /** The version now live: 1 for the first load. */
  version: number
  /** Live instances (of the class and its subclasses), when the class is tracked (the default). */
  trackedInstances: number | undefined
  /** Instance fields the build transform declared for the live version (undefined without the transform). */
  fields: string[] | undefined
}

/** A read-only view of the registry, the history and the last reports. */
export interface RegistryView {
  classes: ClassInfo[]
  history: Array<{ step: number; modules: string[]; classes: string[]; at: number }>
  reports: readonly SwapReport[]
  lastReport: SwapReport | undefined
  /** Swaps and rollbacks that committed. */
  swapCount: number
  options: Readonly<CoreOptions>
  /** Warnings that are not about one swap (a class made reloadable without the transform), each once. */
  warnings: readonly HotclassWarning[]
}

function info(record: ReturnType<typeof recordOf> & object): ClassInfo {
  return {
    id: record.key,
    name: record.name,
    module: record.module,
    canonical: record.canonical,
    version: record.current.number,
    trackedInstances: record.tracked ? instancesOf(record.canonical.prototype as object).length : undefined,
    fields: record.current.fields ? Object.keys(record.current.fields) : undefined,
  }
}

/**
 * Inspect the registry: every reloadable class, the undo history, and what the last swaps did.
 * @example
 * const { classes, lastReport } = inspect()
 * console.table(classes.map((c) => ({ id: c.id, version: c.version })))
 */
export function inspect(): RegistryView {
  const reports = recentReports()
  return {
    classes: [...allRecords()].map(info),
    history: swapHistory.steps.map((s) => ({
      step: s.id,
      modules: s.modules,
      classes: s.entries.map((e) => e.record.key),
      at: s.at,
    })),
    reports,
    lastReport: reports[reports.length - 1],
    swapCount: committedSwaps(),
    options: options(),
    warnings: warnings(),
  }
}

/** The registry's view of one canonical class, or undefined for a class that is not reloadable. */
export function classInfo(cls: AnyClass): ClassInfo | undefined {
  const record = recordOf(cls)
  return record ? info(record) : undefined
}
