import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { isAbsolute, relative, resolve, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { InlineConfig } from 'vite'
import type * as Core from '../index.ts'
import { entries as hotclassEntries } from '../vite/entries.ts'
import type { SwapReport } from '../core/types.ts'
import { createListeners } from '../core/listeners.ts'
import { nodeErrors } from './errors.ts'
import { dependencyOrder, heldBack } from '../vite/order.ts'
import { createRunner } from './runner.ts'
import type { Runner } from './runner.ts'
import { createWatchdog } from './watchdog.ts'
import { createFileWatcher } from './watcher.ts'
import type { FileChange, FileWatcher } from './watcher.ts'

/** The hotclass core as the program sees it: the copy evaluated by the host's module runner. */
export type HotclassCore = typeof Core

/** `auto` swaps on save; `probe` queues changes until `apply()` (ProbeReload). */
export type HostMode = 'auto' | 'probe'

export interface NodeHostOptions {
  /** The project root; only files under it are watched and swapped. Default: the current directory. */
  root: string
  mode: HostMode
  /** Watch loaded files with chokidar. Off, changes come only from `hotswap()`/`swap()`. Default true. */
  watch: boolean
  /** How long a file's size must stay unchanged before its save counts (multi-step saves). Default 25. */
  settleMs: number
  /** Saves of several files this close together become one transaction. Default 10. */
  batchMs: number
  /** Merged over the host's Vite config: extra plugins, `resolve.alias`, or a `configFile` to load. */
  vite: InlineConfig
  /**
   * How long a module's evaluation (the entry's start, a swap) may block the process before the
   * watchdog stops it: a swap then fails with `HOTCLASS_EVALUATION_TIMEOUT` and the old code keeps
   * running. 0 turns the watchdog off (a debugger paused in module code counts as blocked). Default 3000.
   */
  watchdogMs: number
}

/** What the host tells its listeners, one union handled by a `switch` (the CLI prints these). */
export type HostEvent =
  /** A swap or rollback finished (including implicit swaps the core made on its own). */
  | { type: 'report'; report: SwapReport }
  /** Probe mode: the changes waiting for `apply()`, root-relative. */
  | { type: 'pending'; files: string[] }
  /** A loaded file was deleted: its last version keeps running. */
  | { type: 'deleted'; file: string }
  /** A saved file that will not be swapped, and why (the entry, whose top-level code runs once). */
  | { type: 'skipped'; file: string; reason: string }
  /** The file watcher failed (the host keeps running, without that watch). */
  | { type: 'watch-error'; error: unknown }

export interface NodeHost {
  /** Absolute project root. */
  readonly root: string
  readonly options: Readonly<NodeHostOptions>
  /** The core instance the program's `@reloadable()` classes register with. */
  readonly core: HotclassCore
  /**
   * Run the program's entry: import it through the runner, then watch every file it loaded. Saves of
   * the entry itself are reported as `skipped`, since its top-level code (listen, setInterval) runs once.
   */
  run<T = Record<string, unknown>>(entry: string): Promise<T>
  /** Import a module through the runner (cached, like the program's own imports) and watch what it loaded. */
  import<T = Record<string, unknown>>(specifier: string): Promise<T>
  /** Swap one module now (a path relative to the root, or absolute). */
  hotswap(specifier: string): Promise<SwapReport>
  /** Swap several files in one transaction, in dependency order. */
  swap(files: readonly string[]): Promise<SwapReport>
  /** Changed files waiting for `apply()` (probe mode) or for a retry after a failed swap, root-relative. */
  readonly pending: readonly string[]
  /** Swap every pending file in one transaction; undefined when nothing is pending. */
  apply(): Promise<SwapReport | undefined>
  /** Listen to reports, pending changes and watcher trouble. Returns an unsubscribe function. */
  onEvent(listener: (event: HostEvent) => void): () => void
  /** Stop watching and release the Vite server. Idempotent: every call returns the same promise. */
  close(): Promise<void>
}

const defaults: Omit<NodeHostOptions, 'root'> = {
  mode: 'auto',
  watch: true,
  settleMs: 25,
  batchMs: 10,
  vite: {},
  watchdogMs: 3000,
}

/** hotclass's own runtime holds the registry: it is never watched or swapped. */
const runtimeDir = fileURLToPath(new URL('..', import.meta.url))

const entrySkipReason =
  'it is the entry, whose top-level code runs once: restart to apply it, and keep code you edit live in modules it imports'

function digest(source: string): string {
  return createHash('sha1').update(source).digest('base64')
}

function isInside(file: string, dir: string): boolean {
  const rel = relative(dir, file)
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)
}

/**
 * The program's copy of the core: the one `hotclass` resolves to from the root (the plugin's alias),
 * else this package's own entry (`index.ts` in the sources, `index.js` in an installed build).
 */
async function loadCore(runner: Runner): Promise<HotclassCore> {
  try {
    return (await runner.import('hotclass')) as HotclassCore
  } catch {
    return (await runner.import(hotclassEntries.core)) as HotclassCore
  }
}

/**
 * Run TypeScript through Vite's module runner and hot-swap it while it runs: saved files are swapped in
 * one transaction each, in dependency order, with the hotclass core the program itself uses.
 * @example
 * const host = await createNodeHost({ root: process.cwd() })
 * host.onEvent((e) => e.type === 'report' && console.error(host.core.formatReport(e.report)))
 * await host.run('./src/server.ts')
 */
export async function createNodeHost(partial: Partial<NodeHostOptions> = {}): Promise<NodeHost> {
  const options: Readonly<NodeHostOptions> = Object.freeze({
    ...defaults,
    ...partial,
    root: resolve(partial.root ?? process.cwd()),
  })
  const { root } = options
  const listeners = createListeners<[HostEvent]>('onEvent')
  const loadedDigest = new Map<string, string>()
  /** Pending files, each with the number of the save that queued it last. */
  const pending = new Map<string, number>()
  let saves = 0
  const entries = new Set<string>()
  let watcher: FileWatcher | undefined
  let closing: Promise<void> | undefined
  let applying: Promise<unknown> = Promise.resolve()

  const swappable = (file: string) =>
    isInside(file, root) && !isInside(file, runtimeDir) && !file.split(sep).includes('node_modules')

  const watchdog = createWatchdog(options.watchdogMs)
  const runner = await createRunner({
    root,
    vite: options.vite,
    aroundFetch: (fetch) => watchdog.unwatched(fetch),
    onLoad(file, source) {
      if (!swappable(file)) return
      loadedDigest.set(file, digest(source))
      if (watcher && !watcher.isTracked(file)) {
        watcher.track(file)
        // A module loaded after start (a dynamic import) is watched from now on.
        void watcher.sync()
      }
    },
  }).catch(async (error: unknown) => {
    await watchdog.close()
    throw error
  })
  const rel = (file: string) => relative(root, file).split(sep).join('/')
  /** The file whose new version failed to load in the swap in progress. */
  let failedLoad: string | undefined
  let core: HotclassCore
  try {
    core = await loadCore(runner)
    core.setHost({
      root,
      async importModule(url) {
        const file = fileURLToPath(url)
        try {
          return await watchdog.watch(rel(file), () => runner.importFresh(file))
        } catch (error) {
          failedLoad = file
          throw error
        }
      },
    })
  } catch (error) {
    await Promise.all([runner.close(), watchdog.close()])
    throw error
  }
  const offSwap = core.onSwap((report) => listeners.emit({ type: 'report', report }))

  const swapFiles = (files: readonly string[]): Promise<SwapReport> => {
    const ordered = dependencyOrder(files, (f) => runner.importsOf(f))
    failedLoad = undefined
    return core.swapModules(ordered.map((f) => pathToFileURL(f).href))
  }

  /** Pending files whose version at that save failed to load: held back until saved again. */
  const broken = new Map<string, number>()

  /**
   * Swap the largest part of what is pending that does not need a broken file (issue 12: one broken file
   * held every other save hostage), in one transaction. A file that fails to load is held back with
   * whatever imports it, and the rest is tried again without them; the failed report says why.
   */
  const swapPending = async (before: ReadonlyMap<string, number>): Promise<SwapReport> => {
    const files = [...before.keys()]
    for (const [file, save] of broken) if (before.get(file) !== save) broken.delete(file)
    let report: SwapReport | undefined
    for (;;) {
      const held = heldBack(files, new Set(broken.keys()), (f) => runner.importsOf(f))
      let attempt = files.filter((f) => !held.has(f))
      if (attempt.length === 0) {
        if (report) return report
        // Nothing but broken files: try them again, so the report says what is wrong.
        attempt = files
      }
      report = await swapFiles(attempt)
      forgetApplied(attempt, before, report)
      const culprit = report.ok ? undefined : failedLoad
      if (culprit === undefined || !attempt.includes(culprit) || broken.has(culprit)) return report
      broken.set(culprit, before.get(culprit)!)
      if (attempt.length === 1) return report
    }
  }

  /**
   * Forget pending files a committed swap applied, unless a newer save of one landed while it ran:
   * that save may have come after the swap read the file, so it stays pending.
   */
  const forgetApplied = (files: readonly string[], before: ReadonlyMap<string, number>, report: SwapReport) => {
    if (!report.ok) return
    for (const f of files) if (pending.get(f) === before.get(f)) pending.delete(f)
  }

  const apply = (): Promise<SwapReport | undefined> => {
    // One apply at a time, each taking what is pending when it starts: a save during a swap waits for
    // the next apply instead of joining a transaction already importing.
    const run = applying.then(async () => {
      if (pending.size === 0) return undefined
      return swapPending(new Map(pending))
    })
    applying = run.catch(() => undefined)
    return run
  }

  const onBatch = (changes: FileChange[]): void => {
    let added = false
    for (const { file, kind } of changes) {
      if (kind === 'unlink') {
        pending.delete(file)
        listeners.emit({ type: 'deleted', file: rel(file) })
        continue
      }
      let source: string
      try {
        source = readFileSync(file, 'utf8')
      } catch {
        continue // gone again between the event and now: the unlink event will follow
      }
      // An empty file is a save caught between truncate and write; a file whose text is what was
      // loaded last is a touch or a second write of the same save. Neither is a change to swap.
      if (source.length === 0) continue
      if (!pending.has(file) && loadedDigest.get(file) === digest(source)) continue
      if (entries.has(file)) {
        // Re-running an entry repeats its side effects: a second tick loop, a second listen() on the port.
        listeners.emit({ type: 'skipped', file: rel(file), reason: entrySkipReason })
        continue
      }
      pending.set(file, ++saves)
      added = true
    }
    if (!added) return
    if (options.mode === 'auto') void apply()
    else listeners.emit({ type: 'pending', files: [...pending.keys()].map(rel) })
  }

  if (options.watch) {
    watcher = createFileWatcher({
      settleMs: options.settleMs,
      batchMs: options.batchMs,
      onBatch,
      onError: (error) => listeners.emit({ type: 'watch-error', error }),
    })
  }

  const absolute = (file: string) => (isAbsolute(file) ? file : resolve(root, file))

  const swap = async (files: readonly string[]): Promise<SwapReport> => {
    const paths = files.map(absolute)
    const before = new Map(pending)
    const report = await swapFiles(paths)
    forgetApplied(paths, before, report)
    return report
  }

  const load = async <T>(specifier: string): Promise<T> => {
    const file = absolute(specifier)
    const module = (await watchdog.watch(rel(file), () => runner.import(file))) as T
    await watcher?.sync()
    return module
  }

  const ensureOpen = (api: string) => {
    if (closing) throw nodeErrors.hostClosed(api)
  }

  return {
    root,
    options,
    core,
    run<T>(entry: string) {
      ensureOpen('host.run()')
      entries.add(absolute(entry))
      return load<T>(entry)
    },
    import<T>(specifier: string) {
      ensureOpen('host.import()')
      return load<T>(specifier)
    },
    hotswap(specifier) {
      ensureOpen('host.hotswap()')
      return swap([specifier])
    },
    swap(files) {
      ensureOpen('host.swap()')
      return swap(files)
    },
    get pending() {
      return [...pending.keys()].map(rel)
    },
    apply() {
      ensureOpen('host.apply()')
      return apply()
    },
    onEvent(listener) {
      return listeners.add(listener)
    },
    close() {
      closing ??= (async () => {
        offSwap()
        await watcher?.close()
        await applying
        await Promise.all([runner.close(), watchdog.close()])
        listeners.clear()
      })()
      return closing
    },
  }
}
