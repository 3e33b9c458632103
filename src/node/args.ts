import { constants } from 'node:os'
import { nodeErrors } from './errors.ts'
import type { HostMode } from './host.ts'

/** What `hotclass run` was asked to do. */
export interface RunArgs {
  command: 'run'
  entry: string
  /** Arguments for the entry, passed on to it as `process.argv.slice(2)`. */
  entryArgs: string[]
  mode: HostMode
  /** Probe mode also applies on this signal; none unless asked for (Enter always applies). */
  probeSignal: NodeJS.Signals | undefined
  root: string | undefined
  config: string | undefined
  settleMs: number | undefined
  /** How long a module's evaluation may block before the watchdog stops it (0: off). */
  watchdogMs: number | undefined
  quiet: boolean
}

export type CliArgs = RunArgs | { command: 'help' } | { command: 'version' }

export const usage = `Usage: hotclass run <entry.ts> [options] [args for the entry...] [-- args for the entry...]

Runs a TypeScript entry through Vite's module runner and keeps it running while you edit it:
saved files are hot-swapped, @reloadable() classes keep their instances and state.

Options (anywhere before \`--\`; everything else goes to the entry):
  --probe                queue changes; apply them when you press Enter
  --probe-signal <sig>   also apply them on this signal, e.g. SIGUSR2 (implies --probe; none by default,
                         since Colyseus and nodemon treat SIGUSR2 as shutdown)
  --root <dir>           project root; only files under it are swapped (default: current directory)
  --config <file>        a Vite config file to load (aliases, plugins); none by default
  --settle <ms>          how long a saved file must stay unchanged before it is swapped (default: 25)
  --watchdog <ms>        stop a module whose loading blocks the server longer than this; the swap
                         fails and the old code keeps running (default: 3000; 0 turns it off)
  --quiet                print only failures
  -h, --help             show this help (before the entry; after it, the entry gets it)
  -v, --version          print the version (before the entry; after it, the entry gets it)

An entry option with the same name as one of these goes after \`--\`:
  hotclass run src/server.ts --probe -- --config server.json

Ctrl+C (or SIGTERM) stops the host and exits.`

/**
 * Signals the probe may not take: the host stops on SIGINT/SIGTERM, SIGKILL/SIGSTOP cannot be caught,
 * and Node opens its inspector on SIGUSR1.
 */
const reservedSignals: Record<string, string> = {
  SIGINT: 'it stops the host (Ctrl+C)',
  SIGTERM: 'it stops the host',
  SIGKILL: 'it cannot be caught',
  SIGSTOP: 'it cannot be caught',
  SIGUSR1: 'Node opens its debugger on it',
}

function probeSignal(name: string): NodeJS.Signals {
  const upper = name.toUpperCase()
  const signal = upper.startsWith('SIG') ? upper : `SIG${upper}`
  if (!(signal in constants.signals)) throw nodeErrors.usage(`--probe-signal: ${name} is not a signal`)
  const reserved = reservedSignals[signal]
  if (reserved) throw nodeErrors.usage(`--probe-signal cannot be ${signal}: ${reserved}`)
  return signal as NodeJS.Signals
}

/**
 * Parse the CLI's arguments. hotclass's own options are taken wherever they stand before a `--` (a user
 * typing `hotclass run src/server.ts --probe` means the host's probe, not the server's); the entry gets
 * every other argument after it, and everything after `--`. Throws a HOTCLASS_CLI_USAGE error for
 * anything it does not understand.
 */
export function parseArgs(argv: readonly string[]): CliArgs {
  const run: Omit<RunArgs, 'entry'> & { entry?: string } = {
    command: 'run',
    entryArgs: [],
    mode: 'auto',
    probeSignal: undefined,
    root: undefined,
    config: undefined,
    settleMs: undefined,
    watchdogMs: undefined,
    quiet: false,
  }
  let sawRun = false
  let passThrough = false
  const value = (i: number, flag: string): string => {
    const v = argv[i]
    if (v === undefined || v.startsWith('-')) throw nodeErrors.usage(`${flag} needs a value`)
    return v
  }
  const positional = (arg: string): void => {
    if (run.entry !== undefined) run.entryArgs.push(arg)
    else if (sawRun) run.entry = arg
    else if (arg === 'run') sawRun = true
    else throw nodeErrors.usage(`Unknown command "${arg}"`)
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (passThrough) {
      positional(arg)
      continue
    }
    switch (arg) {
      case '--':
        passThrough = true
        break
      case '-h':
      case '--help':
        if (run.entry !== undefined) run.entryArgs.push(arg)
        else return { command: 'help' }
        break
      case '-v':
      case '--version':
        if (run.entry !== undefined) run.entryArgs.push(arg)
        else return { command: 'version' }
        break
      case '--probe':
        run.mode = 'probe'
        break
      case '--probe-signal':
        run.probeSignal = probeSignal(value(++i, arg))
        run.mode = 'probe'
        break
      case '--quiet':
        run.quiet = true
        break
      case '--root':
        run.root = value(++i, arg)
        break
      case '--config':
        run.config = value(++i, arg)
        break
      case '--settle': {
        const ms = Number(value(++i, arg))
        if (!Number.isFinite(ms) || ms < 0) throw nodeErrors.usage(`--settle expects a number of milliseconds`)
        run.settleMs = ms
        break
      }
      case '--watchdog': {
        const ms = Number(value(++i, arg))
        if (!Number.isFinite(ms) || ms < 0)
          throw nodeErrors.usage(`--watchdog expects a number of milliseconds (0: off)`)
        run.watchdogMs = ms
        break
      }
      default:
        if (!arg.startsWith('-')) positional(arg)
        else if (run.entry !== undefined)
          run.entryArgs.push(arg) // the entry's own option
        else throw nodeErrors.usage(`Unknown option ${arg}`)
    }
  }
  if (!sawRun) return { command: 'help' }
  if (run.entry === undefined) throw nodeErrors.usage('hotclass run needs an entry file')
  return { ...run, entry: run.entry }
}
