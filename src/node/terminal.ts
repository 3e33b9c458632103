import { CodedError } from '../core/errors.ts'

/**
 * What the `hotclass` commands (`run`, `run --fleet`, `fleet ...`) share at the terminal: one way to
 * print a line, to print a failure, to stop on a signal and to hear the probe's Enter key.
 */

/** One line (continuation lines indented) on stderr, so a program's own stdout stays clean. */
export function log(text: string): void {
  const [first, ...rest] = text.split('\n')
  process.stderr.write(`[hotclass] ${[first, ...rest.map((l) => `  ${l.trimStart()}`)].join('\n')}\n`)
}

/** Print a failure: a coded error as its summary and hint (exit code 2 for usage), anything else whole. */
export function fail(error: unknown): void {
  if (error instanceof CodedError) {
    log(`${error.summary} (${error.code})\nhint: ${error.hint}`)
    process.exitCode = error.code.endsWith('_USAGE') ? 2 : 1
    return
  }
  log(error instanceof Error ? (error.stack ?? error.message) : String(error))
  process.exitCode = 1
}

/** Close on SIGINT/SIGTERM, then exit; a second signal does not wait for a stuck close. */
export function stopOnSignals(close: () => Promise<void>): void {
  let stopping = false
  const stop = () => {
    if (stopping) process.exit(130)
    stopping = true
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        log(`closing failed: ${String(error)}`)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

/** Call `onEnter` for every line typed on stdin (probe mode's key). */
export function onEnterKey(onEnter: () => void): void {
  process.stdin.setEncoding('utf8')
  process.stdin.on('data', (chunk: string) => {
    for (const ch of chunk) if (ch === '\n') onEnter()
  })
}
