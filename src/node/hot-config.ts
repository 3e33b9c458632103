import { readFileSync } from 'node:fs'
import { relative, resolve } from 'node:path'
import { createListeners } from '../core/listeners.ts'
import { nodeErrors } from './errors.ts'
import type { HotclassNodeError } from './errors.ts'
import { updateInPlace } from './merge.ts'
import { createFileWatcher } from './watcher.ts'
import type { FileWatcher } from './watcher.ts'

export interface HotConfigOptions {
  /** Watch the file and reload on save. Default true. */
  watch: boolean
  /** How long the file's size must stay unchanged before a save counts. Default 25. */
  settleMs: number
  /** Where one-line notes about updates and refusals go. Default: stderr, prefixed `[hotclass] `. */
  log: (line: string) => void
}

/** The outcome of one (re)load: what changed, or why the file was refused. */
export type ConfigResult = { ok: true; changed: string[] } | { ok: false; error: HotclassNodeError }

/** A typed config object kept in sync with a JSON file (dynpatch's HotConfig). */
export interface HotConfig<T extends object> {
  /** The config. The same object for ever: updated in place, nested objects and arrays included. */
  readonly value: T
  /** Absolute path of the JSON file. */
  readonly file: string
  /** 1 after the first load, one more for every accepted change. */
  readonly version: number
  /** Why the last change was refused, until a valid version loads. */
  readonly error: HotclassNodeError | undefined
  /** Called after an accepted change, with the dotted paths that changed. */
  onChange(listener: (value: T, changed: string[]) => void): () => void
  /** Called when a change is refused (invalid JSON, failed validation); the old values stay. */
  onError(listener: (error: HotclassNodeError) => void): () => void
  /** Resolves once the file is being watched (at once when `watch` is off). */
  readonly ready: Promise<void>
  /** Read the file now. */
  reload(): ConfigResult
  /** Stop watching. Idempotent: every call returns the same promise. */
  close(): Promise<void>
}

interface Entry {
  config: HotConfig<object>
  validate: (raw: unknown) => object
  log: (line: string) => void
}

/**
 * One live config per file in this process: a module that calls `watchConfig` again after it was
 * swapped gets the same object (with its new validator) instead of a second watcher.
 */
const live = new Map<string, Entry>()

const defaults: HotConfigOptions = {
  watch: true,
  settleMs: 25,
  log: (line) => console.error(`[hotclass] ${line}`),
}

/** Where a JSON.parse error points: V8 gives `position N`, newer versions `(line L column C)`. */
function jsonLocation(text: string, error: unknown): { line?: number; column?: number } {
  const message = error instanceof Error ? error.message : ''
  const lineCol = /line (\d+) column (\d+)/.exec(message)
  if (lineCol) return { line: Number(lineCol[1]), column: Number(lineCol[2]) }
  const position = /position (\d+)/.exec(message)
  const offset = position ? Number(position[1]) : /end of JSON input/.test(message) ? text.length : undefined
  if (offset === undefined) return {}
  const before = text.slice(0, offset).split('\n')
  return { line: before.length, column: before[before.length - 1]!.length + 1 }
}

type Parsed = { ok: true; value: object } | { ok: false; error: HotclassNodeError } | { ok: 'empty' }

function parse(file: string, shown: string, validate: (raw: unknown) => object): Parsed {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (cause) {
    return { ok: false, error: nodeErrors.configUnreadable(shown, cause) }
  }
  // An empty file is a save caught between truncate and write; the write's own event follows.
  if (text.trim() === '') return { ok: 'empty' }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (cause) {
    const { line, column } = jsonLocation(text, cause)
    return { ok: false, error: nodeErrors.configInvalidJson(shown, cause, line, column) }
  }
  let value: unknown
  try {
    value = validate(raw)
  } catch (cause) {
    return { ok: false, error: nodeErrors.configInvalid(shown, cause) }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: nodeErrors.configInvalid(shown, new Error('the config must be a JSON object')) }
  }
  return { ok: true, value }
}

/**
 * Keep a typed config object in sync with a JSON file. `validate` receives the parsed JSON and returns
 * the typed config, or throws to refuse it: a refused or unparsable save keeps the old values and says
 * why. Throws (with a coded error) only when the first load fails, as there are no old values to keep.
 * @example
 * const config = watchConfig('config/game.json', (raw) => {
 *   const c = raw as { tickRate?: unknown }
 *   if (typeof c.tickRate !== 'number' || c.tickRate <= 0) throw new Error('tickRate must be a positive number')
 *   return c as { tickRate: number }
 * })
 * setInterval(tick, 1000 / config.value.tickRate)
 */
export function watchConfig<T extends object>(
  path: string,
  validate: (raw: unknown) => T,
  options: Partial<HotConfigOptions> = {},
): HotConfig<T> {
  const file = resolve(path)
  const shown = relative(process.cwd(), file) || file
  const settings = { ...defaults, ...options }

  const existing = live.get(file)
  if (existing) {
    existing.validate = validate
    existing.log = settings.log
    existing.config.reload()
    return existing.config as HotConfig<T>
  }

  const first = parse(file, shown, validate)
  if (first.ok === false) throw first.error
  if (first.ok === 'empty') throw nodeErrors.configInvalid(shown, new Error('the file is empty'))

  const value = first.value as T
  const changeListeners = createListeners<[T, string[]]>('onChange')
  const errorListeners = createListeners<[HotclassNodeError]>('onError')
  let version = 1
  let lastError: HotclassNodeError | undefined
  let watcher: FileWatcher | undefined
  let closing: Promise<void> | undefined
  let ready: Promise<void> = Promise.resolve()

  const reload = (): ConfigResult => {
    const result = parse(file, shown, entry.validate)
    if (result.ok === 'empty') return { ok: true, changed: [] }
    if (result.ok === false) {
      lastError = result.error
      entry.log(`config ${shown} kept its old values: ${result.error.summary} (${result.error.code})`)
      errorListeners.emit(result.error)
      return result
    }
    lastError = undefined
    const changed = updateInPlace(value as Record<string, unknown>, result.value as Record<string, unknown>)
    if (changed.length === 0) return { ok: true, changed }
    version++
    entry.log(`config ${shown} updated: ${changed.join(', ')}`)
    changeListeners.emit(value, changed)
    return { ok: true, changed }
  }

  const config: HotConfig<T> = {
    value,
    file,
    get version() {
      return version
    },
    get error() {
      return lastError
    },
    get ready() {
      return ready
    },
    onChange: changeListeners.add,
    onError: errorListeners.add,
    reload,
    close() {
      closing ??= (async () => {
        if (live.get(file) === entry) live.delete(file)
        await watcher?.close()
      })()
      return closing
    },
  }
  const entry: Entry = { config: config as HotConfig<object>, validate, log: settings.log }
  live.set(file, entry)

  if (settings.watch) {
    watcher = createFileWatcher({
      settleMs: settings.settleMs,
      batchMs: 0,
      onBatch: () => void reload(),
      onError: (error) => entry.log(`config ${shown} watcher failed: ${String(error)}`),
    })
    watcher.track(file)
    ready = watcher.sync()
  }
  return config
}
