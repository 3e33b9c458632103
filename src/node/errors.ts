/**
 * Codes and factories for what the Node host reports itself (the CLI, hot config, the host's API).
 * Swap failures keep the core's codes (`HOTCLASS_LOAD_FAILED`, ...): the host passes them through.
 */
import { CodedError } from '../core/errors.ts'
import { formatLocation } from '../core/source-location.ts'

export const NodeErrorCodes = {
  /** The CLI was called with arguments it does not understand. */
  CLI_USAGE: 'HOTCLASS_CLI_USAGE',
  /** The entry module failed to load when the host started it: there is no old code to keep running. */
  ENTRY_FAILED: 'HOTCLASS_ENTRY_FAILED',
  /** The host was used after `close()`. */
  HOST_CLOSED: 'HOTCLASS_HOST_CLOSED',
  /** A hot config file could not be read (missing, unreadable). */
  CONFIG_UNREADABLE: 'HOTCLASS_CONFIG_UNREADABLE',
  /** A hot config file is not valid JSON. */
  CONFIG_INVALID_JSON: 'HOTCLASS_CONFIG_INVALID_JSON',
  /** A hot config file parsed, but its validator refused it (or it is not an object). */
  CONFIG_INVALID: 'HOTCLASS_CONFIG_INVALID',
  /** A module's evaluation blocked the main thread past the watchdog's limit and was stopped. */
  EVALUATION_TIMEOUT: 'HOTCLASS_EVALUATION_TIMEOUT',
} as const

export type NodeErrorCode = (typeof NodeErrorCodes)[keyof typeof NodeErrorCodes]

/** An error of the Node host, shaped like the core's `HotclassError`: a `code`, a `hint`, a location. */
export class HotclassNodeError extends CodedError<NodeErrorCode> {}

function reasonOf(cause: unknown): string {
  return cause instanceof Error ? cause.message.split('\n')[0]! : String(cause)
}

export const nodeErrors = {
  usage(problem: string): HotclassNodeError {
    return new HotclassNodeError(
      NodeErrorCodes.CLI_USAGE,
      problem,
      'Run `hotclass run <entry.ts> [--probe] [--root <dir>]`; `hotclass --help` lists every option.',
    )
  },

  entryFailed(entry: string, cause: unknown): HotclassNodeError {
    return new HotclassNodeError(
      NodeErrorCodes.ENTRY_FAILED,
      `The entry ${entry} failed to start: ${reasonOf(cause)}`,
      'Nothing was running yet, so there is no old code to keep; fix the error and start again.',
      { cause },
    )
  },

  hostClosed(api: string): HotclassNodeError {
    return new HotclassNodeError(
      NodeErrorCodes.HOST_CLOSED,
      `${api} was called after the Node host was closed`,
      'Create a new host with createNodeHost(); a closed host has released its Vite server and watcher.',
    )
  },

  configUnreadable(file: string, cause: unknown): HotclassNodeError {
    return new HotclassNodeError(
      NodeErrorCodes.CONFIG_UNREADABLE,
      `Cannot read config ${file}: ${reasonOf(cause)}`,
      'Check the path (resolved against the current directory) and the file permissions.',
      { cause, loc: { file } },
    )
  },

  configInvalidJson(file: string, cause: unknown, line?: number, column?: number): HotclassNodeError {
    const loc = { file, ...(line !== undefined && { line }), ...(column !== undefined && { column }) }
    return new HotclassNodeError(
      NodeErrorCodes.CONFIG_INVALID_JSON,
      `Config ${formatLocation(loc)} is not valid JSON: ${reasonOf(cause)}`,
      'Fix the JSON and save again; the old values stay in use until a valid version loads.',
      { cause, loc },
    )
  },

  configInvalid(file: string, cause: unknown): HotclassNodeError {
    return new HotclassNodeError(
      NodeErrorCodes.CONFIG_INVALID,
      `Config ${file} was refused by its validator: ${reasonOf(cause)}`,
      'Fix the values and save again; the old values stay in use until a version passes validation.',
      { cause, loc: { file } },
    )
  },

  evaluationTimeout(what: string, limitMs: number, blockedMs: number): HotclassNodeError {
    return new HotclassNodeError(
      NodeErrorCodes.EVALUATION_TIMEOUT,
      `${what} ran for ${blockedMs} ms without letting the server run (limit ${limitMs} ms) and was stopped`,
      'Look for an endless loop at its top level; the old code keeps running. If it really needs longer, raise the limit with --watchdog <ms> (or the host option watchdogMs).',
      { loc: { file: what } },
    )
  },
}
