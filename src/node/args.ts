import { nodeErrors } from './errors.ts'
import type { HostMode } from './host.ts'

/** What `hotclass run` was asked to do. */
export interface RunArgs {
  command: 'run'
  entry: string
  /** Arguments after the entry, passed on to it as `process.argv.slice(2)`. */
  entryArgs: string[]
  mode: HostMode
  root: string | undefined
  config: string | undefined
  settleMs: number | undefined
  /** How long a module's evaluation may block before the watchdog stops it (0: off). */
  watchdogMs: number | undefined
  quiet: boolean
}

export type CliArgs = RunArgs | { command: 'help' } | { command: 'version' }

export const usage = `Usage: hotclass run <entry.ts> [args for the entry...]

Runs a TypeScript entry through Vite's module runner and keeps it running while you edit it:
saved files are hot-swapped, @reloadable() classes keep their instances and state.

Options (before the entry):
  --probe           queue changes; apply them when you press Enter or send SIGUSR2
  --root <dir>      project root; only files under it are swapped (default: current directory)
  --config <file>   a Vite config file to load (aliases, plugins); none by default
  --settle <ms>     how long a saved file must stay unchanged before it is swapped (default: 25)
  --watchdog <ms>   stop a module whose loading blocks the server longer than this; the swap
                    fails and the old code keeps running (default: 3000; 0 turns it off)
  --quiet           print only failures
  -h, --help        show this help
  -v, --version     print the version

Ctrl+C (or SIGTERM) stops the host and exits.`

/** Parse the CLI's arguments. Throws a HOTCLASS_CLI_USAGE error for anything it does not understand. */
export function parseArgs(argv: readonly string[]): CliArgs {
  const run: Omit<RunArgs, 'entry'> & { entry?: string } = {
    command: 'run',
    entryArgs: [],
    mode: 'auto',
    root: undefined,
    config: undefined,
    settleMs: undefined,
    watchdogMs: undefined,
    quiet: false,
  }
  let sawRun = false
  const value = (i: number, flag: string): string => {
    const v = argv[i]
    if (v === undefined || v.startsWith('-')) throw nodeErrors.usage(`${flag} needs a value`)
    return v
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (run.entry !== undefined) {
      run.entryArgs.push(arg)
      continue
    }
    switch (arg) {
      case '-h':
      case '--help':
        return { command: 'help' }
      case '-v':
      case '--version':
        return { command: 'version' }
      case '--probe':
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
        if (arg.startsWith('-')) throw nodeErrors.usage(`Unknown option ${arg}`)
        if (!sawRun) {
          if (arg !== 'run') throw nodeErrors.usage(`Unknown command "${arg}"`)
          sawRun = true
        } else {
          run.entry = arg
        }
    }
  }
  if (!sawRun) return { command: 'help' }
  if (run.entry === undefined) throw nodeErrors.usage('hotclass run needs an entry file')
  return { ...run, entry: run.entry }
}
