import { existsSync, readFileSync } from 'node:fs'
import { relative, resolve } from 'node:path'
import { parseArgs, usage } from './args.ts'
import type { RunArgs } from './args.ts'
import { HotclassNodeError, nodeErrors } from './errors.ts'
import { guardUncaught } from './guard.ts'
import { createNodeHost } from './host.ts'
import type { HostEvent, NodeHost } from './host.ts'
import { fail, log, onEnterKey, stopOnSignals } from './terminal.ts'
import { CodedError } from '../core/errors.ts'
import { reportWarnings } from '../core/report.ts'
import type { SwapReport } from '../core/types.ts'
import { fleetMain, runMember } from '../fleet/cli.ts'
import { takeMemberArgs } from '../fleet/args.ts'

function printReport(host: NodeHost, report: SwapReport, quiet: boolean): void {
  const line = host.core.formatReport(report)
  if (!report.ok) {
    // The host's own reasons (the watchdog's) say more than the core's "failed to load" around them.
    const error = report.error?.cause instanceof HotclassNodeError ? report.error.cause : report.error
    log(`${line}${error?.code ? ` (${error.code})` : ''}`)
    if (error?.hint) log(`hint: ${error.hint}`)
    return
  }
  if (quiet) return
  log(line)
  for (const warning of reportWarnings(report)) log(`warning: ${warning}`)
}

/** How probe mode's changes are applied, as the pending and start lines say it. */
function probeHow(args: RunArgs): string {
  return args.probeSignal
    ? `press Enter or send ${args.probeSignal} (kill -${args.probeSignal.slice(3)} ${process.pid})`
    : 'press Enter'
}

function printer(host: NodeHost, args: RunArgs): (event: HostEvent) => void {
  return (event) => {
    switch (event.type) {
      case 'report':
        printReport(host, event.report, args.quiet)
        break
      case 'pending':
        log(
          `${event.files.length} change${event.files.length === 1 ? '' : 's'} pending (${event.files.join(', ')}): ${probeHow(args)} to apply`,
        )
        break
      case 'deleted':
        log(`${event.file} was deleted; its last loaded version keeps running`)
        break
      case 'skipped':
        log(`${event.file} not swapped: ${event.reason}`)
        break
      case 'watch-error':
        log(`file watching failed: ${String(event.error)}`)
        break
      default: {
        const never: never = event
        throw new Error(`unhandled host event ${String(never)}`)
      }
    }
  }
}

/**
 * Probe mode's triggers: a line on stdin (Enter), and the probe signal when one was asked for. There is
 * no default signal: SIGUSR2, the obvious one, is shutdown for Colyseus and nodemon, and SIGUSR1 opens
 * Node's inspector; the signals no framework claims (SIGURG, SIGWINCH...) have other jobs of their own.
 */
function listenForProbe(host: NodeHost, signal: NodeJS.Signals | undefined): void {
  const apply = () => {
    host.apply().then(
      (report) => report === undefined && log('nothing pending'),
      (error: unknown) => log(`apply failed: ${String(error)}`),
    )
  }
  if (signal) {
    // Listeners the program registered before us still run: say so, since they may end it.
    if (process.listenerCount(signal) > 0) {
      log(`warning: the program also handles ${signal}; sending it runs the program's handler too`)
    }
    process.on(signal, apply)
  }
  onEnterKey(apply)
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  return pkg.version
}

async function run(args: RunArgs): Promise<void> {
  const entry = resolve(args.entry)
  if (!existsSync(entry)) {
    fail(nodeErrors.entryFailed(args.entry, new Error(`no such file ${entry}`)))
    return
  }
  // The entry reads its arguments as if it had been started with `node entry.js args...`.
  process.argv = [process.argv[0]!, entry, ...args.entryArgs]
  const host = await createNodeHost({
    mode: args.mode,
    ...(args.root !== undefined && { root: args.root }),
    ...(args.settleMs !== undefined && { settleMs: args.settleMs }),
    ...(args.watchdogMs !== undefined && { watchdogMs: args.watchdogMs }),
    ...(args.config !== undefined && { vite: { configFile: resolve(args.config) } }),
  })
  host.onEvent(printer(host, args))

  stopOnSignals(() => host.close())
  guardUncaught(log)
  const uncaughtListeners = process.listenerCount('uncaughtException')

  try {
    await host.run(entry)
  } catch (cause) {
    fail(nodeErrors.entryFailed(relative(host.root, entry), cause))
    await host.close()
    process.exit(1)
  }
  if (process.listenerCount('uncaughtException') > uncaughtListeners) {
    // Colyseus' Server does this unless `gracefullyShutdown: false`: its handler ends the process on
    // the first error a swapped-in method throws, whatever the guard above does.
    log(
      'warning: the program handles uncaughtException itself and may exit on an error an edit throws ' +
        '(Colyseus: pass `gracefullyShutdown: false` in development; see docs/colyseus.md)',
    )
  }
  if (args.mode === 'probe') listenForProbe(host, args.probeSignal)
  if (!args.quiet) {
    const how = args.mode === 'probe' ? `probe mode: ${probeHow(args)} to apply saved changes` : 'swapping on save'
    log(`running ${relative(host.root, entry)} (${how}; Ctrl+C exits)`)
  }
}

/** The `hotclass` command. `bin/hotclass.js` loads this module through Vite and calls it. */
export async function main(argv: readonly string[]): Promise<void> {
  if (argv[0] === 'fleet') return fleetMain(argv.slice(1))
  let args
  let member
  try {
    const fleet = takeMemberArgs(argv)
    member = fleet.member
    args = parseArgs(fleet.rest)
  } catch (error) {
    if (error instanceof CodedError) return fail(error)
    throw error
  }
  switch (args.command) {
    case 'help':
      process.stdout.write(`${usage}\n`)
      return
    case 'version':
      process.stdout.write(`${version()}\n`)
      return
    case 'run':
      return member ? runMember(args, member) : run(args)
  }
}
