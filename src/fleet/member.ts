import { isAbsolute, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { InlineConfig } from 'vite'
import type { SwapReport } from '../core/types.ts'
import type { HotclassCore } from '../node/host.ts'
import { createRunner } from '../node/runner.ts'
import type { Runner } from '../node/runner.ts'
import { entries as hotclassEntries } from '../vite/entries.ts'
import { connectBus } from './bus.ts'
import type { Bus } from './bus.ts'
import { fleetErrors } from './errors.ts'
import type { HotclassFleetError } from './errors.ts'
import type { DownMessage, Patch } from './messages.ts'
import { preparePatch } from './prepare.ts'
import { createPresence } from './presence.ts'
import { createModuleStore } from './store.ts'
import { trace } from './trace.ts'
import { createPatchTransport } from './transport.ts'

export interface MemberOptions {
  redis: string
  fleet: string
  secret: string
  /** This member's name in reports; default `host:pid`. */
  id: string
  root: string
  vite: InlineConfig
  heartbeatMs: number
  logLength: number
  /** One line for the member's own log (the CLI prints it on stderr). */
  log(line: string): void
  /** Hears every swap and rollback the member commits. */
  onReport(version: number, report: SwapReport): void
  /** A bus message or log entry that was refused. */
  onRefused(error: HotclassFleetError): void
}

export interface FleetMember {
  readonly id: string
  readonly core: HotclassCore
  /** The fleet version this member runs. */
  readonly version: number
  /** Catch up with the fleet's log, import the entry, then join the fleet's votes. */
  run<T = Record<string, unknown>>(entry: string): Promise<T>
  /** Leave the fleet and release the Vite server. Idempotent. */
  close(): Promise<void>
}

/** What this member did with a committed version: the core's history step when it swapped. */
interface Applied {
  version: number
  step: number | undefined
}

async function loadCore(runner: Runner): Promise<HotclassCore> {
  try {
    return (await runner.import('hotclass')) as HotclassCore
  } catch {
    return (await runner.import(hotclassEntries.core)) as HotclassCore
  }
}

/**
 * A process of a fleet: it runs its entry from its own checkout through Vite's module runner, except for
 * modules the fleet's patches changed, which it runs from the patches (see transport.ts). Patches arrive
 * in two phases: prepare and vote, then commit or abort as the coordinator (or, if it is gone, the first
 * presumed abort in Redis) decided.
 */
export async function createFleetMember(options: MemberOptions): Promise<FleetMember> {
  const root = resolve(options.root)
  const store = createModuleStore()
  const runner = await createRunner({
    root,
    vite: options.vite,
    onLoad: () => undefined,
    transport: (environment) => createPatchTransport(environment, root, store),
  })
  const environment = runner.server.environments.ssr
  let core: HotclassCore
  try {
    core = await loadCore(runner)
    core.setHost({ root, importModule: (url) => runner.importFresh(fileURLToPath(url)) })
  } catch (error) {
    await runner.close()
    throw error
  }
  const bus: Bus = connectBus({
    url: options.redis,
    fleet: options.fleet,
    secret: options.secret,
    logLength: options.logLength,
    onRefused: (error) => options.onRefused(error),
  })

  let version = 0
  let last = 'started'
  let serving = false
  const applied: Applied[] = []
  /** Versions whose commit failed here: their compensating rollback only moves the version on. */
  const failed = new Set<number>()
  let staged: { patch: Patch; timer: ReturnType<typeof setTimeout> } | undefined
  let queue: Promise<void> = Promise.resolve()
  let closing: Promise<void> | undefined
  const buffered: DownMessage[] = []

  const file = (id: string) => join(root, id)
  const presence = createPresence(bus, options.id, options.heartbeatMs, () => ({ version, last }))
  const beat = presence.beat
  const report = (v: number, ok: boolean, line: string) => {
    last = `v${v}: ${line}`
    void beat().catch(() => undefined)
    void bus.publishUp({ type: 'report', fleet: options.fleet, member: options.id, version: v, ok, line })
  }

  /** Apply a committed patch to what runs: swap the loaded modules it changes, or roll back. */
  const commit = async (patch: Patch): Promise<void> => {
    store.stage(patch.modules)
    const loaded = patch.order.filter((id) => runner.isLoaded(file(id)))
    const top = applied[applied.length - 1]
    let result: SwapReport | undefined
    if (patch.kind === 'rollback' && patch.reverts !== undefined && failed.has(patch.reverts)) {
      result = undefined // this member never ran the reverted version: it already runs the code before it
    } else if (
      patch.kind === 'rollback' &&
      top !== undefined &&
      top.version === patch.reverts &&
      top.step !== undefined
    ) {
      result = await core.rollback()
    } else if (serving && loaded.length > 0) {
      result = await core.swapModules(loaded.map((id) => pathToFileURL(file(id)).href))
    }
    trace(patch.version, 'swapped')
    if (result && !result.ok) {
      store.dropStaged()
      failed.add(patch.version)
      report(patch.version, false, core.formatReport(result) + (result.error ? ` (${result.error.code})` : ''))
      options.onReport(patch.version, result)
      return
    }
    store.commitStaged()
    version = patch.version
    if (patch.kind === 'rollback') {
      while (applied.length > 0 && applied[applied.length - 1]!.version >= (patch.reverts ?? 0)) applied.pop()
    } else {
      applied.push({ version, step: result?.step })
    }
    report(
      version,
      true,
      result ? core.formatReport(result) : `${patch.kind} of ${patch.modules.length} module(s), none loaded here`,
    )
    if (result) options.onReport(version, result)
  }

  /** Bring this member to the log's last version, one committed patch after another. */
  const catchUp = async (): Promise<void> => {
    const log = await bus.readLog()
    const first = log[0]?.patch.version
    if (first !== undefined && first > version + 1) throw fleetErrors.logTrimmed(first)
    for (const { patch } of log) {
      if (patch.version <= version) continue
      if (!serving) {
        store.put(patch.modules) // nothing runs yet: the entry will import the patched code directly
        version = patch.version
      } else {
        await commit(patch)
      }
    }
  }

  const decided = async (v: number, round: string, outcome: 'commit' | 'abort', reason: string) => {
    if (!staged || staged.patch.round !== round) {
      if (outcome === 'commit' && v > version) await catchUp() // a prepare this member never saw
      return
    }
    const { patch, timer } = staged
    clearTimeout(timer)
    staged = undefined
    if (outcome === 'commit') await commit(patch)
    else {
      store.dropStaged()
      options.log(`v${v} aborted: ${reason}`)
    }
  }

  /** Forget a staged round whose decision never came: the coordinator has moved on to another. */
  const unstage = () => {
    if (!staged) return
    clearTimeout(staged.timer)
    staged = undefined
    store.dropStaged()
  }

  const prepare = async (patch: Patch) => {
    unstage()
    if (patch.version <= version) return
    if (patch.version > version + 1) await catchUp().catch(() => undefined)
    const vote = (ok: boolean, reason: string) => {
      trace(patch.version, 'voted')
      return bus.publishUp({ type: 'vote', fleet: options.fleet, member: options.id, round: patch.round, ok, reason })
    }
    if (patch.version !== version + 1) {
      await vote(false, `this member is at v${version} and cannot catch up to v${patch.version - 1}`)
      return
    }
    const problem = await preparePatch(patch, environment, root, store)
    if (problem !== undefined) {
      const error = fleetErrors.prepareFailed(problem)
      options.log(`v${patch.version} refused: ${error.summary} (${error.code})`)
      await vote(false, `${problem} (${error.code})`)
      return
    }
    // Presumed abort: with no decision heard in twice the coordinator's deadline, settle the round in
    // Redis (which tells every member); whichever outcome got there first (a commit the member missed, or
    // this abort) is applied.
    const timer = setTimeout(() => {
      const reason = 'no decision before the deadline'
      enqueue(async () => decided(patch.version, patch.round, await bus.decide(patch, 'abort', reason), reason))
    }, patch.timeoutMs * 2)
    staged = { patch, timer }
    await vote(true, '')
  }

  const handle = async (message: DownMessage): Promise<void> => {
    switch (message.type) {
      case 'prepare':
        return prepare(message.patch)
      case 'decision':
        return decided(message.version, message.round, message.outcome, message.reason)
      case 'apply': {
        const { patch } = message
        const fromFailed = patch.kind === 'rollback' && patch.reverts !== undefined && failed.has(patch.reverts)
        if (patch.version === version + 1 || (fromFailed && patch.version === patch.reverts! + 1)) return commit(patch)
        if (patch.version > version) return catchUp()
        return
      }
      default: {
        const never: never = message
        throw new Error(`unhandled fleet message ${String(never)}`)
      }
    }
  }

  const enqueue = (job: () => Promise<void>) => {
    queue = queue.then(job).catch((error: unknown) => options.log(`fleet message failed: ${String(error)}`))
  }

  bus.onReconnect(() => {
    options.log('reconnected to Redis')
    enqueue(async () => {
      await beat()
      await catchUp()
    })
  })

  return {
    id: options.id,
    core,
    get version() {
      return version
    },
    async run<T>(entry: string) {
      await bus.listen('down', (message) => {
        trace(message.type === 'decision' ? message.version : message.patch.version, `${message.type}-heard`)
        if (serving) enqueue(() => handle(message))
        else buffered.push(message)
      })
      await catchUp()
      if (version > 0) options.log(`caught up with the fleet at v${version} (${store.size} patched module(s))`)
      const module = (await runner.import(isAbsolute(entry) ? entry : resolve(root, entry))) as T
      serving = true
      await beat()
      presence.start()
      // Patches decided while the entry loaded are in the log; messages heard meanwhile follow in order.
      enqueue(catchUp)
      for (const message of buffered.splice(0)) enqueue(() => handle(message))
      return module
    },
    close() {
      closing ??= (async () => {
        unstage()
        await queue
        await presence.leave()
        await bus.close()
        await runner.close()
      })()
      return closing
    },
  }
}
