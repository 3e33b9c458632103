import type { ErrorCode } from './errors.ts'

/** Any class constructor. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyClass = abstract new (...args: any[]) => any

/** What one swap did to one class. Member names are plain (`'speed'`), statics prefixed (`'static MAX'`),
 * symbols written `'[Symbol.iterator]'`, instance fields prefixed (`'field shield'`). */
export interface ClassChange {
  /** The registry key: `module#Name` when the build transform supplies the module, else the name or `id`. */
  id: string
  name: string
  /** Members the new version has and the old one did not. */
  added: string[]
  /** Members the old version had and the new one does not. */
  removed: string[]
  /** Members in both whose code or declared value differs. */
  changed: string[]
  /** The class now extends a different base. */
  baseChanged: boolean
  /** True when this swap defined the class for the first time. */
  isNew: boolean
  /**
   * True when the swapped module no longer defines the class (deleted or renamed): the class and its
   * live instances stay as they were; importers of the new version no longer see it.
   */
  isRemoved: boolean
  /** Things that could not be updated on live instances (arrow-function fields, bound methods). */
  warnings: string[]
}

/** The outcome of a swap or rollback. Resolves, never rejects, for anything that can go wrong in a module. */
export interface SwapReport {
  ok: boolean
  error?: Error & { code: ErrorCode | string; hint?: string; file?: string; line?: number; column?: number }
  /** The modules re-evaluated, as ids relative to the project root where possible. */
  modules: string[]
  classes: ClassChange[]
  /** Wall time of the whole swap, module import included. */
  durationMs: number
  /** Time spent patching classes, without the module import. */
  patchMs: number
  /** `swap` for a swap, `rollback` for an undo. */
  kind: 'swap' | 'rollback'
  /** The history step this swap committed, or undefined when it did not commit. */
  step?: number
  /**
   * What each re-evaluated module did to its own top-level state (the continuity transform): bindings
   * added, removed, re-initialised (`changed`) and `kept`. Absent for modules the transform did not touch.
   */
  state?: ModuleStateChange[]
}

/** Module-level state across one swap of one module. */
export interface ModuleStateChange {
  module: string
  added: string[]
  removed: string[]
  changed: string[]
  kept: string[]
  /** What the swap could not carry over (a handed-out method of a plain class that was replaced). */
  warnings: string[]
}

/** What a `migrate` hook is told about the class change it runs for. */
export interface MigrationContext {
  change: ClassChange
  /** The version number the instance is migrating to (1 is the first load). */
  version: number
}

/** Options of `@reloadable()`. */
export interface ReloadableOptions {
  /** A stable key for this class; overrides module id + class name. */
  id?: string
  /**
   * Remember live instances (weakly), so a swap gives them the fields a new version adds as own
   * properties, re-creates changed arrow-function fields and runs `migrate`. On by default: a
   * construction pushes the object onto a batch that becomes weak references at the end of the task.
   * `false` for objects made by the million (particles): their swaps then report the fields live
   * instances did not get.
   */
  track?: boolean
  /**
   * Called for every tracked live instance after a swap of this class commits its members, inside the
   * transaction: if it throws, the whole swap is rolled back (instance own properties included).
   */
  migrate?: (instance: object, context: MigrationContext) => void
  /**
   * What happens to static data properties on a swap. `merge` (default): an unedited declared value keeps
   * its runtime value, an edited one takes the new value. `keep`: runtime values always win.
   * `replace`: declared values always win.
   */
  statics?: 'merge' | 'keep' | 'replace'
}

/** Injected by the build transform: the module the class lives in and its field initialisers. */
export interface TransformInfo {
  module?: string
  /** The class's name when its expression has none (`export const Red = reloadable()(class { ... })`). */
  name?: string
  /** Where the class is declared (1-based line), for refusals. */
  line?: number
  /** `#private` instance members the class declares, from the AST. */
  privates?: string[]
  /** Instance fields with computed keys (`[KEY] = 3`), as written: not given to live instances. */
  computedFields?: string[]
  /** The digest of the class decorators other than `@reloadable()` (their text): unedited, they do not run again. */
  classDecorators?: string
  /** Instance fields whose initialiser reads a `#private` name or `arguments`: only the class body can evaluate them. */
  bodyFields?: string[]
  /** Instance field initialisers, evaluated with `this` bound to the instance. */
  fields?: Record<string, (this: object) => unknown>
  /**
   * Digests of the methods, accessors (`static:` prefixed for statics) and instance fields (`field:`) as
   * written: what the report compares, since how a version was evaluated changes its functions' text.
   */
  members?: Record<string, string>
}
