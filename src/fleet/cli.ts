import { existsSync } from 'node:fs'
import { hostname } from 'node:os'
import { relative, resolve } from 'node:path'
import type { RunArgs } from '../node/args.ts'
import { guardUncaught } from '../node/guard.ts'
import { parseFleetArgs, fleetUsage } from './args.ts'
import type { FleetArgs, MemberArgs } from './args.ts'
import { connectBus } from './bus.ts'
import { createCoordinator } from './coordinator.ts'
import { HotclassFleetError } from './errors.ts'
import { createFleetMember } from './member.ts'
import type { FleetMember } from './member.ts'
import { readSecret } from './sign.ts'
import { statusText } from './status.ts'

/** One line (continuation lines indented) on stderr, so a program's own stdout stays clean. */
function log(text: string): void {
  const [first, ...rest] = text.split('\n')
  process.stderr.write(`[hotclass] ${[first, ...rest.map((l) => `  ${l.trimStart()}`)].join('\n')}\n`)
}

function fail(error: unknown): void {
  if (error instanceof HotclassFleetError) {
    log(`${error.summary} (${error.code})\nhint: ${error.hint}`)
    process.exitCode = error.code === 'HOTCLASS_FLEET_USAGE' ? 2 : 1
    return
  }
  log(error instanceof Error ? (error.stack ?? error.message) : String(error))
  process.exitCode = 1
}

const refused = (error: HotclassFleetError) => log(`${error.summary} (${error.code})`)

/** Close on SIGINT/SIGTERM; a second signal does not wait for a stuck close. */
function stopOn(close: () => Promise<void>): void {
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
    log,
    onRefused: refused,
  })
  stopOn(() => coordinator.close())
  guardUncaught(log)
  log(`fleet ${args.fleet}: serving v${coordinator.version}, watching the sources (Ctrl+C exits)`)
}

/** Ask the coordinator to roll back, and wait for its decision. */
async function requestRollback(args: FleetArgs): Promise<void> {
  const bus = connectBus({
    url: args.redis,
    fleet: args.fleet,
    secret: readSecret(),
    logLength: args.logLength,
    onRefused: refused,
    failFast: true,
  })
  try {
    let resolveDecision!: (line: string) => void
    const decided = new Promise<string>((r) => (resolveDecision = r))
    // Subscribed before the request goes out: a coordinator that decides quickly must not decide unheard.
    await bus.listen('down', (m) => {
      if (m.type === 'decision')
        resolveDecision(
          `v${m.version} ${m.outcome === 'commit' ? 'rolled back on every member' : `aborted: ${m.reason}`}`,
        )
    })
    await bus.publishUp({
      type: 'request',
      fleet: args.fleet,
      action: 'rollback',
      from: `${hostname()}:${process.pid}`,
    })
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<string>(
      (r) => (timer = setTimeout(() => r('no decision: is `hotclass fleet serve` running?'), args.timeoutMs * 3)),
    )
    const line = await Promise.race([decided, timeout])
    clearTimeout(timer)
    process.stdout.write(`${line}\n`)
    if (!line.includes('every member')) process.exitCode = 1
  } finally {
    await bus.close()
  }
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
      case 'status': {
        const bus = connectBus({
          url: args.redis,
          fleet: args.fleet,
          secret: readSecret(),
          logLength: args.logLength,
          onRefused: refused,
          failFast: true,
        })
        try {
          process.stdout.write(`${await statusText(bus)}\n`)
        } finally {
          await bus.close()
        }
        return
      }
      case 'rollback':
        return await requestRollback(args)
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
  stopOn(() => created.close())
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
