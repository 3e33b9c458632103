import { fleetErrors } from './errors.ts'

/** `hotclass run --fleet <url> --name <fleet> [--member <id>]`: the member half of a fleet. */
export interface MemberArgs {
  redis: string
  fleet: string
  member: string | undefined
}

/** `hotclass fleet <serve|status|apply|rollback> ...`. */
export interface FleetArgs {
  command: 'serve' | 'status' | 'apply' | 'rollback' | 'help'
  /** `serve --probe`: queue saves until `fleet apply` or Enter. */
  probe: boolean
  redis: string
  fleet: string
  root: string | undefined
  config: string | undefined
  timeoutMs: number
  logLength: number
  settleMs: number
}

export const fleetUsage = `Usage: hotclass fleet <serve|status|apply|rollback> --redis <url> --name <fleet> [options]
       hotclass run --fleet <url> --name <fleet> [--member <id>] <entry.ts>

One save swaps every process of the fleet, or none: the coordinator (fleet serve) watches the sources,
transforms each changed module once and runs a two-phase commit with every member over Redis.
Every process needs the same secret in HOTCLASS_FLEET_SECRET; patches are signed with it.

Commands:
  serve             watch the sources under --root and publish each save as one patch
  status            print the fleet's version, members, their versions and last reports
  apply             publish the saves a \`serve --probe\` coordinator queued, as one patch
  rollback          undo the last committed patch on every member (all or nothing)

Options:
  --redis <url>     the Redis the fleet uses as its log and mailbox, e.g. redis://127.0.0.1:6379
  --name <fleet>    the fleet's name (one coordinator per name)
  --probe           serve: queue saves; publish them with \`fleet apply\` or Enter
  --root <dir>      project root (default: current directory)
  --config <file>   a Vite config file to load
  --deadline <ms>   how long members have to vote and to report (default: 5000)
  --log-length <n>  patches the log keeps for late members (default: 1000)
  --settle <ms>     how long a saved file must stay unchanged (default: 25)`

const valueFlags = new Set(['--root', '--config', '--settle'])

/**
 * Take `--fleet`, `--name` and `--member` out of `hotclass run`'s arguments (before the entry), leaving
 * the rest for the run parser. Undefined when `--fleet` is not there: then nothing about the run changes.
 */
export function takeMemberArgs(argv: readonly string[]): { member: MemberArgs | undefined; rest: string[] } {
  const rest: string[] = []
  const found: Partial<Record<'--fleet' | '--name' | '--member', string>> = {}
  let positional = 0
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (positional >= 2) {
      rest.push(...argv.slice(i)) // the entry and its own arguments
      break
    }
    if (arg === '--fleet' || arg === '--name' || arg === '--member') {
      const value = argv[i + 1]
      if (value === undefined || value.startsWith('-')) throw fleetErrors.usage(`${arg} needs a value`)
      found[arg] = value
      i++
      continue
    }
    rest.push(arg)
    if (valueFlags.has(arg) && i + 1 < argv.length) rest.push(argv[++i]!)
    else if (!arg.startsWith('-')) positional++
  }
  if (found['--fleet'] === undefined) {
    if (found['--name'] !== undefined || found['--member'] !== undefined) {
      throw fleetErrors.usage('--name and --member belong to --fleet')
    }
    return { member: undefined, rest }
  }
  if (found['--name'] === undefined) throw fleetErrors.usage('--fleet needs --name <fleet>')
  return { member: { redis: found['--fleet'], fleet: found['--name'], member: found['--member'] }, rest }
}

function count(raw: string, flag: string, min: number): number {
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min) throw fleetErrors.usage(`${flag} expects a whole number of at least ${min}`)
  return n
}

/** Parse `hotclass fleet ...` (the arguments after `fleet`). */
export function parseFleetArgs(argv: readonly string[]): FleetArgs {
  const args: FleetArgs = {
    command: 'help',
    probe: false,
    redis: '',
    fleet: '',
    root: undefined,
    config: undefined,
    timeoutMs: 5000,
    logLength: 1000,
    settleMs: 25,
  }
  let command: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const value = () => {
      const v = argv[++i]
      if (v === undefined || v.startsWith('-')) throw fleetErrors.usage(`${arg} needs a value`)
      return v
    }
    switch (arg) {
      case '-h':
      case '--help':
        return { ...args, command: 'help' }
      case '--probe':
        args.probe = true
        break
      case '--redis':
        args.redis = value()
        break
      case '--name':
        args.fleet = value()
        break
      case '--root':
        args.root = value()
        break
      case '--config':
        args.config = value()
        break
      case '--deadline':
        args.timeoutMs = count(value(), arg, 1)
        break
      case '--log-length':
        args.logLength = count(value(), arg, 1)
        break
      case '--settle':
        args.settleMs = count(value(), arg, 0)
        break
      default:
        if (arg.startsWith('-')) throw fleetErrors.usage(`Unknown option ${arg}`)
        if (command !== undefined) throw fleetErrors.usage(`Unexpected argument "${arg}"`)
        command = arg
    }
  }
  if (command === undefined) return args
  if (command !== 'serve' && command !== 'status' && command !== 'apply' && command !== 'rollback') {
    throw fleetErrors.usage(`Unknown fleet command "${command}"`)
  }
  if (!args.redis) throw fleetErrors.usage(`fleet ${command} needs --redis <url>`)
  if (!args.fleet) throw fleetErrors.usage(`fleet ${command} needs --name <fleet>`)
  if (args.probe && command !== 'serve') throw fleetErrors.usage('--probe belongs to `fleet serve`')
  return { ...args, command }
}
