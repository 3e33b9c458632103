import { watch } from 'chokidar'
import type { FSWatcher } from 'chokidar'
import { dirname, join } from 'node:path'

/** What happened to a watched file by the time its save settled. */
export interface FileChange {
  file: string
  kind: 'change' | 'unlink'
}

export interface WatcherOptions {
  /**
   * How long a file's size must stay unchanged before its save counts as finished. Editors save in
   * several steps (truncate then write, write a temp file then rename it over the original); waiting
   * for the size to settle turns those steps into one change.
   */
  settleMs: number
  /**
   * Saves of different files form one batch, so "Save All" is one transaction: a settled save waits for
   * every other tracked file whose write has begun (an fs event was seen) to settle too, and no longer.
   * Only when that is unsure (an fs event that settled into nothing) does it wait this long for more.
   */
  batchMs: number
  onBatch(changes: FileChange[]): void
  /** Every fs event of a tracked file, before its save settles (a fleet coordinator starts early). */
  onWrite?(file: string): void
  onError(error: unknown): void
}

export interface FileWatcher {
  /** Watch this file from now on. Call `sync()` to wait until the watch is in place. */
  track(file: string): void
  isTracked(file: string): boolean
  /** Resolves once every file tracked so far is being watched. */
  sync(): Promise<void>
  /** Idempotent: every call returns the same promise. */
  close(): Promise<void>
}

/**
 * Watch exactly the files a program loaded, with chokidar, and report settled saves in batches.
 * Directories are watched one level deep rather than the files themselves, so a save that replaces the
 * file (rename over it) is still seen; events for other files in those directories are ignored.
 */
export function createFileWatcher(options: WatcherOptions): FileWatcher {
  const tracked = new Set<string>()
  const watchedDirs = new Set<string>()
  const watchers: FSWatcher[] = []
  const readies: Array<Promise<void>> = []
  let batch = new Map<string, FileChange['kind']>()
  /** Tracked files with a write under way: an fs event seen, its settled change not yet. */
  const writing = new Set<string>()
  let timer: ReturnType<typeof setTimeout> | undefined
  let closing: Promise<void> | undefined

  const flush = (): void => {
    timer = undefined
    if (batch.size === 0 || closing) return
    const changes = [...batch].map(([file, kind]) => ({ file, kind }))
    batch = new Map()
    writing.clear() // an fs event that settled into nothing must not hold the next batch back
    options.onBatch(changes)
  }

  const note = (file: string, kind: FileChange['kind']): void => {
    if (!tracked.has(file) || closing) return
    batch.set(file, kind)
    writing.delete(file)
    if (timer !== undefined) clearTimeout(timer)
    // Nothing else is being written: the batch is complete now (a zero timer still joins the changes
    // chokidar reports in the same turn). Waiting the full window here was 10 ms on every save.
    timer = setTimeout(flush, writing.size === 0 ? 0 : options.batchMs)
  }

  const watchDirs = (dirs: string[]): Promise<void> => {
    const watcher = watch(dirs, {
      ignoreInitial: true,
      depth: 0,
      // An unlink followed by an add within this window is one change (vim's backup-and-write).
      atomic: true,
      // The size is polled every fifth of the threshold: the save is reported at most a fifth late
      // (a third made a 25 ms settle take 32 ms).
      awaitWriteFinish: {
        stabilityThreshold: options.settleMs,
        pollInterval: Math.max(1, Math.min(10, Math.floor(options.settleMs / 5))),
      },
    })
    watchers.push(watcher)
    // A tracked file is being written from its first fs event until its change settles. chokidar
    // watches the directory (the event names the file) and each file in it (the watched path is the file).
    watcher.on('raw', (_event, name, details) => {
      const dir = (details as { watchedPath?: unknown } | undefined)?.watchedPath
      if (typeof name !== 'string' || typeof dir !== 'string') return
      const file = tracked.has(dir) ? dir : join(dir, name)
      if (!tracked.has(file) || closing) return
      writing.add(file)
      options.onWrite?.(file)
    })
    watcher.on('add', (file) => note(file, 'change'))
    watcher.on('change', (file) => note(file, 'change'))
    watcher.on('unlink', (file) => note(file, 'unlink'))
    watcher.on('error', (error) => options.onError(error))
    return new Promise((resolve) => watcher.once('ready', () => resolve()))
  }

  return {
    track(file) {
      tracked.add(file)
    },
    isTracked(file) {
      return tracked.has(file)
    },
    sync() {
      if (closing) return Promise.resolve()
      const fresh = [...new Set([...tracked].map((f) => dirname(f)))].filter((d) => !watchedDirs.has(d))
      if (fresh.length > 0) {
        for (const d of fresh) watchedDirs.add(d)
        // One chokidar instance per batch of new directories: each has its own 'ready', so callers can
        // wait for exactly the watches they asked for.
        readies.push(watchDirs(fresh))
      }
      return Promise.all(readies).then(() => undefined)
    },
    close() {
      closing ??= (async () => {
        if (timer !== undefined) clearTimeout(timer)
        batch.clear()
        await Promise.all(watchers.map((w) => w.close()))
      })()
      return closing
    },
  }
}
