import { createHash, randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { relative, resolve, sep } from 'node:path'
import type { InlineConfig } from 'vite'
import { dependencyOrder } from '../vite/order.ts'
import { createRunner } from '../node/runner.ts'
import { createFileWatcher } from '../node/watcher.ts'
import type { FileChange, FileWatcher } from '../node/watcher.ts'
import { connectBus } from './bus.ts'
import { fleetErrors } from './errors.ts'
import type { HotclassFleetError } from './errors.ts'
import type { Patch, PatchModule, UpMessage } from './messages.ts'
import { listSources } from './sources.ts'
import { hashCode } from './store.ts'
import { liveMembers } from './status.ts'
import { trace } from './trace.ts'

export interface CoordinatorOptions {
  redis: string
  fleet: string
  secret: string
  root: string
  vite: InlineConfig
  /** How long members have to vote, and to report after a commit. */
  timeoutMs: number
  logLength: number
  settleMs: number
  batchMs: number
  log(line: string): void
  onRefused(error: HotclassFleetError): void
}

/** What one round of two-phase commit ended with, for callers and tests. */
export interface RoundResult {
  version: number
  outcome: 'commit' | 'abort'
  reasons: string[]
  reports: Map<string, { ok: boolean; line: string }>
}

export interface Coordinator {
  /** The fleet's committed version. */
  readonly version: number
  /** Propose these files (absolute or root-relative) as one patch now, as a save would. */
  publish(files: readonly string[]): Promise<RoundResult | undefined>
  /** Undo the last committed patch on every member, all or nothing. */
  rollback(): Promise<RoundResult | undefined>
  onRound(listener: (result: RoundResult) => void): void
  close(): Promise<void>
}

function digest(source: string): string {
  return createHash('sha1').update(source).digest('base64')
}

/**
 * The fleet's one coordinator: it watches the sources, transforms each changed module once through
 * Vite with the hotclass plugin, and runs every patch through prepare/vote/decide/commit/report.
 */
export async function createCoordinator(options: CoordinatorOptions): Promise<Coordinator> {
  const root = resolve(options.root)
  const bus = connectBus({
    url: options.redis,
    fleet: options.fleet,
    secret: options.secret,
    logLength: options.logLength,
    onRefused: (error) => options.onRefused(error),
  })
  const lockKey = bus.key('coordinator')
  const lockValue = `${hostname()}:${process.pid}:${randomUUID()}`
  const lockMs = Math.max(3000, options.timeoutMs)
  if ((await bus.redis.set(lockKey, lockValue, 'PX', lockMs, 'NX')) !== 'OK') {
    await bus.close()
    throw fleetErrors.coordinatorTaken(options.fleet)
  }
  const renew = setInterval(
    () => void bus.redis.set(lockKey, lockValue, 'PX', lockMs).catch(() => undefined),
    lockMs / 3,
  )
  renew.unref()

  // The fleet's state as the log tells it: the code each module was last published with, and for each
  // committed patch still undoable, the code its modules had before it.
  let version = await bus.version()
  const published = new Map<string, string | null>()
  const undo: Array<{ version: number; order: string[]; before: PatchModule[] }> = []
  const remember = (patch: Patch) => {
    if (patch.kind === 'rollback') undo.pop()
    else
      undo.push({
        version: patch.version,
        order: patch.order,
        before: patch.modules.map((m) => {
          const code = published.get(m.id) ?? null
          return { id: m.id, code, hash: code === null ? '' : hashCode(code), deps: [] }
        }),
      })
    for (const m of patch.modules) published.set(m.id, m.code)
  }
  for (const { patch } of await bus.readLog()) remember(patch)

  const runner = await createRunner({ root, vite: options.vite, onLoad: () => undefined })
  const environment = runner.server.environments.ssr
  const rel = (file: string) => relative(root, file).split(sep).join('/')
  const seen = new Map<string, string>()
  const transform = async (file: string) => {
    const url = `/${rel(file)}`
    for (const mod of environment.moduleGraph.getModulesByFile(file) ?? []) {
      environment.moduleGraph.updateModuleTransformResult(mod, null)
    }
    const result = await environment.transformRequest(url)
    if (!result) throw new Error(`Vite returned nothing for ${url}`)
    return result
  }
  const importsOf = (file: string): string[] => {
    const files: string[] = []
    for (const mod of environment.moduleGraph.getModulesByFile(file) ?? []) {
      for (const dep of mod.importedModules) if (dep.file) files.push(dep.file)
    }
    return files
  }
  // Transform every source once at start: the import graph orders patches through unchanged modules.
  const sources = listSources(root)
  for (const file of sources) {
    seen.set(file, digest(readFileSync(file, 'utf8')))
    await transform(file).catch(() => undefined)
  }

  const listeners = new Set<(result: RoundResult) => void>()
  let rounds: Promise<unknown> = Promise.resolve()
  const serialize = <T>(job: () => Promise<T>): Promise<T> => {
    const run = rounds.then(job)
    rounds = run.catch(() => undefined)
    return run
  }

  const upHandlers = new Set<(message: UpMessage) => void>()
  await bus.listen('up', (message) => {
    if (message.type === 'request') {
      options.log(`rollback requested by ${message.from}`)
      void coordinator.rollback()
    }
    for (const h of upHandlers) h(message)
  })

  /** Wait until `done()` or the deadline, checking on every message from the members. */
  const collect = (until: () => boolean, onMessage: (m: UpMessage) => void): { wait: Promise<void>; stop(): void } => {
    let finish!: () => void
    const wait = new Promise<void>((r) => (finish = r))
    const handler = (m: UpMessage) => {
      onMessage(m)
      if (until()) finish()
    }
    upHandlers.add(handler)
    const timer = setTimeout(finish, options.timeoutMs)
    if (until()) finish()
    return {
      wait: wait.then(() => {
        clearTimeout(timer)
        upHandlers.delete(handler)
      }),
      stop: finish,
    }
  }

  const collectReports = async (v: number, members: readonly string[]) => {
    const reports = new Map<string, { ok: boolean; line: string }>()
    const c = collect(
      () => members.every((m) => reports.has(m)),
      (m) => m.type === 'report' && m.version === v && reports.set(m.member, { ok: m.ok, line: m.line }),
    )
    return { reports, done: c.wait }
  }

  const printReports = (v: number, members: readonly string[], reports: RoundResult['reports']) => {
    for (const m of members) {
      const r = reports.get(m)
      options.log(
        `v${v} ${m}: ${r ? r.line : `no report within ${options.timeoutMs} ms (the member may have died; it catches up when it restarts)`}`,
      )
    }
  }

  /** Prepare, vote, decide, commit, report: one version, all members or none. */
  const round = async (patch: Patch): Promise<RoundResult> => {
    const v = patch.version
    trace(v, 'patch-built')
    const members = await liveMembers(bus)
    trace(v, 'members-listed')
    const votes = new Map<string, { ok: boolean; reason: string }>()
    const voting = collect(
      () => members.every((m) => votes.has(m)),
      (m) => m.type === 'vote' && m.version === v && votes.set(m.member, { ok: m.ok, reason: m.reason }),
    )
    const reporting = await collectReports(v, members)
    await bus.publishDown({ type: 'prepare', patch })
    trace(v, 'prepare-sent')
    const size = patch.modules.reduce((n, m) => n + (m.code?.length ?? 0), 0)
    options.log(
      `v${v} prepare ${patch.kind === 'rollback' ? `rollback of v${patch.reverts}` : patch.order.join(', ')} (${size} bytes) on ${members.length} member(s)`,
    )
    await voting.wait
    trace(v, 'votes-in')
    const reasons: string[] = []
    for (const m of members) {
      const vote = votes.get(m)
      if (!vote) reasons.push(`${m} did not vote within ${options.timeoutMs} ms`)
      else if (!vote.ok) reasons.push(`${m} cannot prepare: ${vote.reason}`)
    }
    const outcome = await bus.decide(v, reasons.length === 0 ? 'commit' : 'abort', patch)
    trace(v, 'decided')
    if (outcome === 'abort' && reasons.length === 0) reasons.push('a member presumed abort before the decision')
    const reason = reasons.join('; ')
    await bus.publishDown({ type: 'decision', fleet: options.fleet, version: v, outcome, reason })
    trace(v, 'decision-sent')
    const result: RoundResult = { version: v, outcome, reasons, reports: reporting.reports }
    if (outcome === 'abort') {
      reporting.done.catch(() => undefined)
      options.log(`v${v} aborted on every member: ${reason}`)
      return result
    }
    version = v
    remember(patch)
    await reporting.done
    trace(v, 'reports-in')
    options.log(`v${v} committed`)
    printReports(v, members, reporting.reports)
    const failedOn = members.filter((m) => reporting.reports.get(m)?.ok === false)
    if (failedOn.length > 0) await compensate(patch, failedOn)
    return result
  }

  /** A commit failed on some members: roll the others back with a logged rollback patch, no vote. */
  const compensate = async (patch: Patch, failedOn: string[]) => {
    const rb = rollbackPatch()
    if (!rb) return
    options.log(`v${patch.version} failed on ${failedOn.join(', ')}: rolling every member back (v${rb.version})`)
    const members = await liveMembers(bus)
    const reporting = await collectReports(rb.version, members)
    if ((await bus.decide(rb.version, 'commit', rb)) !== 'commit') return
    version = rb.version
    remember(rb)
    await bus.publishDown({ type: 'apply', patch: rb })
    await reporting.done
    printReports(rb.version, members, reporting.reports)
  }

  const rollbackPatch = (): Patch | undefined => {
    const last = undo[undo.length - 1]
    if (!last) return undefined
    return {
      type: 'patch',
      fleet: options.fleet,
      version: version + 1,
      kind: 'rollback',
      reverts: last.version,
      modules: last.before,
      order: last.order,
      timeoutMs: options.timeoutMs,
    }
  }

  const publish = async (files: readonly string[]): Promise<RoundResult | undefined> => {
    const modules: PatchModule[] = []
    const changed: string[] = []
    const digests = new Map<string, string>()
    for (const file of files.map((f) => resolve(root, f))) {
      let source: string
      try {
        source = readFileSync(file, 'utf8')
      } catch {
        continue
      }
      if (source.length === 0) continue
      digests.set(file, digest(source))
      try {
        const result = await transform(file)
        modules.push({
          id: rel(file),
          code: result.code,
          hash: hashCode(result.code),
          deps: [...(result.deps ?? []), ...(result.dynamicDeps ?? [])],
        })
        changed.push(file)
      } catch (error) {
        options.log(
          `${rel(file)} not published: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
        )
        return undefined
      }
    }
    if (modules.length === 0) return undefined
    const order = dependencyOrder(changed, importsOf).map(rel)
    const patch: Patch = {
      type: 'patch',
      fleet: options.fleet,
      version: version + 1,
      kind: 'patch',
      modules,
      order,
      timeoutMs: options.timeoutMs,
    }
    const result = await round(patch)
    // An aborted save stays a change: saving the same text again (after fixing a member) proposes it again.
    if (result.outcome === 'commit') for (const [file, d] of digests) seen.set(file, d)
    return result
  }

  const onBatch = (changes: FileChange[]) => {
    const files = changes
      .filter((c) => c.kind === 'change')
      .map((c) => c.file)
      .filter((file) => {
        try {
          return digest(readFileSync(file, 'utf8')) !== seen.get(file)
        } catch {
          return false
        }
      })
    if (files.length === 0) return
    trace(version + 1, 'batch')
    void serialize(() => publish(files)).then((r) => r && listeners.forEach((l) => l(r)))
  }

  const watcher: FileWatcher = createFileWatcher({
    settleMs: options.settleMs,
    batchMs: options.batchMs,
    onBatch,
    onError: (error) => options.log(`file watching failed: ${String(error)}`),
  })
  for (const file of sources) watcher.track(file)
  await watcher.sync()

  let closing: Promise<void> | undefined
  const coordinator: Coordinator = {
    get version() {
      return version
    },
    publish: (files) => serialize(() => publish(files)),
    rollback: () =>
      serialize(async () => {
        const rb = rollbackPatch()
        if (!rb) {
          options.log('nothing to roll back')
          return undefined
        }
        const result = await round(rb)
        listeners.forEach((l) => l(result))
        return result
      }),
    onRound: (listener) => void listeners.add(listener),
    close() {
      closing ??= (async () => {
        clearInterval(renew)
        await watcher.close()
        await rounds
        if ((await bus.redis.get(lockKey).catch(() => null)) === lockValue)
          await bus.redis.del(lockKey).catch(() => undefined)
        await bus.close()
        await runner.close()
      })()
      return closing
    },
  }
  return coordinator
}
