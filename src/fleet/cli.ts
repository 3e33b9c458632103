import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { hostname } from 'node:os'
import { relative, resolve } from 'node:path'
import type { RunArgs } from '../node/args.ts'
import { guardUncaught } from '../node/guard.ts'
import { fail, log, onEnterKey, stopOnSignals } from '../node/terminal.ts'
import { CodedError } from '../core/errors.ts'
import { parseFleetArgs, fleetUsage } from './args.ts'
import type { FleetArgs, MemberArgs } from './args.ts'
import { connectBus } from './bus.ts'
import type { Bus } from './bus.ts'
import { createCoordinator } from './coordinator.ts'
import { fleetErrors } from './errors.ts'
import type { HotclassFleetError } from './errors.ts'
import { createFleetMember } from './member.ts'
import type { FleetMember } from './member.ts'
import type { RequestAction } from './messages.ts'
import { readSecret } from './sign.ts'
import { statusText } from './status.ts'

const refused = (error: HotclassFleetError) => log(`${error.summary} (${error.code})`)

async function serve(args: FleetArgs): Promise<void> {
  const coordinator = await createCoordinator({
    redis: args.redis,
    fleet: args.fleet,
    secret: readSecret(),
    root: args.root ?? process.cwd(),
    vite: args.config !== undefined ? { configFile: resolve(args.config) } : {},
    timeoutMs: args.timeoutMs,
    logLength: args.logLength,
    settleMs: args.settleMs,
    batchMs: 10,
    mode: args.probe ? 'probe' : 'auto',
    log,
    onRefused: refused,
  })
  stopOnSignals(() => coordinator.close())
  guardUncaught(log)
  if (args.probe)
    onEnterKey(() => {
      coordinator.apply().then(
        (result) => result === undefined && log('nothing pending'),
        (error: unknown) => log(`apply failed: ${String(error)}`),
      )
    })
  const how = args.probe
    ? 'probe mode: saves wait for Enter or `hotclass fleet apply`'
    : 'watching the sources, publishing every save'
  log(`fleet ${args.fleet}: serving v${coordinator.version}, ${how} (Ctrl+C exits)`)
}

/**
 * Run a one-shot command on a bus of its own, which fails fast instead of waiting for a Redis that is
 * not there; what fails other than a coded error is Redis failing.
 */
async function withBus(args: FleetArgs, command: (bus: Bus) => Promise<void>): Promise<void> {
  const bus = connectBus({
    url: args.redis,
    fleet: args.fleet,
    secret: readSecret(),
    logLength: args.logLength,
    onRefused: refused,
    failFast: true,
  })
  try {
    await command(bus)
  } catch (error) {
    throw error instanceof CodedError ? error : fleetErrors.redisFailed(args.redis, error)
  } finally {
    await bus.close()
  }
}

/**
 * Ask the coordinator to roll back or apply, and print its one-line answer: `v3 committed on every
 * member`, `nothing pending: ...`. Exit code 1 unless every member took the patch.
 */
async function request(bus: Bus, args: FleetArgs, action: RequestAction): Promise<void> {
  const id = randomUUID()
  let answer!: (reply: { ok: boolean; line: string }) => void
  const answered = new Promise<{ ok: boolean; line: string }>((r) => (answer = r))
  // Subscribed before the request goes out: a coordinator that answers at once must not answer unheard.
  await bus.listen('reply', (m) => m.id === id && answer(m))
  const heard = await bus.publishUp({
    type: 'request',
    fleet: args.fleet,
    action,
    id,
    from: `${hostname()}:${process.pid}`,
  })
  if (heard === 0) throw fleetErrors.noCoordinator(args.fleet)
  // The coordinator answers once the round ends (its own deadlines bound that); this bounds a
  // coordinator that dies meanwhile.
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<{ ok: boolean; line: string }>(
    (r) =>
      (timer = setTimeout(
        () => r({ ok: false, line: 'no answer: the coordinator stopped before it decided' }),
        args.timeoutMs * 3,
      )),
  )
  const reply = await Promise.race([answered, timeout])
  clearTimeout(timer)
  process.stdout.write(`${reply.line}\n`)
  if (!reply.ok) process.exitCode = 1
}

/** `hotclass fleet ...`. */
export async function fleetMain(argv: readonly string[]): Promise<void> {
  try {
    const args = parseFleetArgs(argv)
    switch (args.command) {
      case 'help':
        process.stdout.write(`${fleetUsage}\n`)
        return
      case 'serve':
        return await serve(args)
      case 'status':
        return await withBus(args, async (bus) => void process.stdout.write(`${await statusText(bus)}\n`))
      case 'apply':
      case 'rollback': {
        const action = args.command
        return await withBus(args, (bus) => request(bus, args, action))
      }
    }
  } catch (error) {
    fail(error)
  }
}

/** `hotclass run --fleet <url> --name <fleet> <entry>`: run the entry as a member of the fleet. */
export async function runMember(run: RunArgs, member: MemberArgs): Promise<void> {
  const entry = resolve(run.entry)
  if (!existsSync(entry)) return fail(new Error(`no such entry ${entry}`))
  process.argv = [process.argv[0]!, entry, ...run.entryArgs]
  let fleetMember: FleetMember | undefined
  try {
    fleetMember = await createFleetMember({
      redis: member.redis,
      fleet: member.fleet,
      secret: readSecret(),
      id: member.member ?? `${hostname()}:${process.pid}`,
      root: run.root ?? process.cwd(),
      vite: run.config !== undefined ? { configFile: resolve(run.config) } : {},
      heartbeatMs: 1000,
      logLength: 1000,
      log,
      onReport: (version, report) => {
        if (!report.ok)
          log(
            `v${version}: ${fleetMember?.core.formatReport(report)}${report.error?.hint ? `\nhint: ${report.error.hint}` : ''}`,
          )
        else if (!run.quiet) log(`v${version}: ${fleetMember?.core.formatReport(report)}`)
      },
      onRefused: refused,
    })
  } catch (error) {
    return fail(error)
  }
  const created = fleetMember
  stopOnSignals(() => created.close())
  guardUncaught(log)
  try {
    await created.run(entry)
  } catch (error) {
    fail(error)
    await created.close()
    process.exit(1)
  }
  if (!run.quiet)
    log(`running ${relative(process.cwd(), entry)} as ${created.id} in fleet ${member.fleet} at v${created.version}`)
}
