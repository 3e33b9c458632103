/**
 * Every error hotclass reports carries a `code` from this list and a `hint` that tells the user what
 * to do. One factory per case, so a message is written once and tests can match on the code.
 * Failed swaps are reported (`ok: false`), never thrown; only API misuse throws.
 */
import { stripAnsi } from './ansi.ts'
import { formatLocation } from './source-location.ts'

export const ErrorCodes = {
  /** An API was called with arguments of the wrong kind (thrown, not reported). */
  BAD_ARGUMENT: 'HOTCLASS_BAD_ARGUMENT',
  /** The module could not be found or resolved. */
  MODULE_NOT_FOUND: 'HOTCLASS_MODULE_NOT_FOUND',
  /** The module is outside the project root, so it may not be swapped. */
  OUTSIDE_ROOT: 'HOTCLASS_OUTSIDE_ROOT',
  /** The module failed to load: a syntax error, a transform error or a throw in its body. */
  LOAD_FAILED: 'HOTCLASS_LOAD_FAILED',
  /** The new version declares `#private` members that live instances would fail the brand check on. */
  PRIVATE_MEMBERS: 'HOTCLASS_PRIVATE_MEMBERS',
  /** Patching threw part-way (a cyclic base, a non-configurable member); everything was restored. */
  PATCH_FAILED: 'HOTCLASS_PATCH_FAILED',
  /** A user `migrate` hook threw; everything was restored. */
  MIGRATION_FAILED: 'HOTCLASS_MIGRATION_FAILED',
  /** `rollback()` was called with no committed swap left in the history. */
  NOTHING_TO_ROLLBACK: 'HOTCLASS_NOTHING_TO_ROLLBACK',
  /** A swap would change a class's decorator-declared layout, which a framework read once and keeps. */
  LAYOUT_CHANGED: 'HOTCLASS_LAYOUT_CHANGED',
  /** A class key was registered twice outside a swap: two classes share a name and no module id. */
  DUPLICATE_KEY: 'HOTCLASS_DUPLICATE_KEY',
} as const

/** An error's text without terminal colours (Vite and Oxc colour their messages). */
export function plainMessage(error: unknown): string {
  const e = error as { message?: unknown } | undefined
  return stripAnsi(String(e?.message ?? error))
}

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes]

/** Where in the user's source an error points, when known. */
export interface SourceLocation {
  file: string
  line?: number
  column?: number
}

/**
 * The shape of every error hotclass makes, whichever layer makes it (the core's `HotclassError`, the
 * Node host's `HotclassNodeError`): a stable `code`, a `hint` saying what to do, a source location
 * where known. The message ends with the hint on a line of its own.
 */
export class CodedError<Code extends string = string> extends Error {
  override name = 'HotclassError'
  readonly code: Code
  readonly hint: string
  file?: string
  line?: number
  column?: number

  constructor(
    code: Code,
    message: string,
    hint: string,
    options?: { cause?: unknown; loc?: SourceLocation | undefined },
  ) {
    super(`${message}\n  hint: ${hint}`, options?.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.hint = hint
    if (options?.loc) {
      this.file = options.loc.file
      if (options.loc.line !== undefined) this.line = options.loc.line
      if (options.loc.column !== undefined) this.column = options.loc.column
    }
  }

  /** The message without the hint line, for one-line reports. */
  get summary(): string {
    return this.message.split('\n')[0] ?? this.message
  }
}

/** An error of the core, with a code from `ErrorCodes`. A failed swap's report carries one. */
export class HotclassError extends CodedError<ErrorCode> {}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'function') return `a function (${value.name || 'anonymous'})`
  return typeof value
}

export const errors = {
  badArgument(api: string, expected: string, got: unknown): TypeError & { code: ErrorCode } {
    const err = new TypeError(`hotclass: ${api} expects ${expected}, got ${describe(got)}`) as TypeError & {
      code: ErrorCode
    }
    err.code = ErrorCodes.BAD_ARGUMENT
    return err
  },

  moduleNotFound(specifier: string, cause?: unknown): HotclassError {
    return new HotclassError(
      ErrorCodes.MODULE_NOT_FOUND,
      `Cannot swap "${specifier}": no such module`,
      'Check the path: it is resolved against the project root (Node: the current directory).',
      { cause },
    )
  },

  outsideRoot(specifier: string, root: string): HotclassError {
    return new HotclassError(
      ErrorCodes.OUTSIDE_ROOT,
      `Cannot swap "${specifier}": it is outside the project root ${root}`,
      'Only modules under the project root can be swapped; move the file or configure the root.',
    )
  },

  loadFailed(specifier: string, cause: unknown, loc?: SourceLocation): HotclassError {
    const text = plainMessage(cause)
    // Transform errors open with "Transform failed with 1 error:"; the line worth showing comes after.
    const lines = text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
    const reason = lines.find((l) => !/^Transform failed with \d+ errors?:?$/.test(l)) ?? text
    const where = loc ? ` at ${formatLocation(loc)}` : ''
    return new HotclassError(
      ErrorCodes.LOAD_FAILED,
      `Module "${specifier}" failed to load${where}: ${reason}`,
      'Fix the error and save again; the old code keeps running until a version loads.',
      { cause, loc },
    )
  },

  privateMembers(className: string, names: string[], module?: string, line?: number): HotclassError {
    const loc = module ? { file: module, ...(line !== undefined && { line }) } : undefined
    const where = loc ? ` (${formatLocation(loc)})` : ''
    return new HotclassError(
      ErrorCodes.PRIVATE_MEMBERS,
      `${className}${where} has #private instance members (${names.join(', ')}); live instances would fail the brand check of the new code`,
      `Use TypeScript \`private\` instead of \`#\` for the instance members of ${className} so its instances survive a swap (static #members are fine).`,
      loc ? { loc } : undefined,
    )
  },

  layoutChanged(change: { name: string; differences: string[] }, module?: string): HotclassError {
    return new HotclassError(
      ErrorCodes.LAYOUT_CHANGED,
      `${change.name}'s decorator-declared layout changed (${change.differences.join('; ')}): a framework read it when the class was first used and keeps the old one, so this swap was refused; the old version keeps running`,
      'Restart the program to apply a change of decorated fields (@type(), @Column(), ...); method bodies and undecorated members swap as usual.',
      module ? { loc: { file: module } } : undefined,
    )
  },

  patchFailed(className: string, cause: unknown): HotclassError {
    const reason = cause instanceof Error ? cause.message : String(cause)
    return new HotclassError(
      ErrorCodes.PATCH_FAILED,
      `Patching ${className} failed: ${reason}`,
      'Nothing was changed. A cyclic `extends` or a non-configurable member is the usual cause.',
      { cause },
    )
  },

  migrationFailed(className: string, cause: unknown): HotclassError {
    const reason = cause instanceof Error ? cause.message : String(cause)
    return new HotclassError(
      ErrorCodes.MIGRATION_FAILED,
      `The migrate hook of ${className} threw: ${reason}`,
      'Every class and tracked instance was restored; fix the hook and save again.',
      { cause },
    )
  },

  nothingToRollback(): HotclassError {
    return new HotclassError(
      ErrorCodes.NOTHING_TO_ROLLBACK,
      'Nothing to roll back: no committed swap is left in the history',
      'rollback() undoes committed swaps one by one, up to the history limit (configure({ historyLimit })).',
    )
  },

  duplicateKey(key: string): HotclassError {
    return new HotclassError(
      ErrorCodes.DUPLICATE_KEY,
      `Two different classes were registered as "${key}" outside a swap`,
      'Give one of them @reloadable({ id }) or run through the hotclass Vite plugin, which keys classes by module.',
    )
  },
}
