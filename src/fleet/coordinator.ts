import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { relative, resolve, sep } from 'node:path'
import type { InlineConfig } from 'vite'
import { createRunner } from '../node/runner.ts'
import { createFileWatcher } from '../node/watcher.ts'
import type { FileChange, FileWatcher } from '../node/watcher.ts'
import { createPatchBuilder } from './build.ts'
import type { Built } from './build.ts'
import { connectBus } from './bus.ts'
import { fleetErrors } from './errors.ts'
import type { HotclassFleetError } from './errors.ts'
import type { Patch, ReplyMessage } from './messages.ts'
import { createEarlySaves } from './early.ts'
import { createRounds, replyLine } from './round.ts'
import type { RoundResult } from './round.ts'
import { listSources } from './sources.ts'
import { liveMembers } from './status.ts'
import { trace } from './trace.ts'
import { createFleetUndo } from './undo.ts'

export type { RoundResult } from './round.ts'

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
  /** `auto` publishes each save; `probe` queues saves until `apply()` (`fleet apply`, Enter). */
  mode: 'auto' | 'probe'
  log(line: string): void
  onRefused(error: HotclassFleetError): void
}

export interface Coordinator {
  /** The fleet's committed version. */
  readonly version: number
  /** Propose these files (absolute or root-relative) as one patch now, as a save would. */
  publish(files: readonly string[]): Promise<RoundResult | undefined>
  /** Publish the saves probe mode queued, as one patch; undefined when none is pending. */
  apply(): Promise<RoundResult | undefined>
  /** Undo the last committed patch on every member, all or nothing; undefined when there is none. */
  rollback(): Promise<RoundResult | undefined>
  onRound(listener: (result: RoundResult) => void): void
  close(): Promise<void>
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

  let version = await bus.version()
  const undo = createFleetUndo(options.fleet, options.timeoutMs)
  for (const { patch } of await bus.readLog()) undo.remember(patch)

  const loaded = new Map<string, string>()
  const runner = await createRunner({ root, vite: options.vite, onLoad: (file, text) => loaded.set(file, text) })
  const sources = listSources(root)
  const builder = await createPatchBuilder(
    {
      root,
      fleet: options.fleet,
      // How long members wait for a decision: an early round also waits for its save to settle.
      timeoutMs: options.timeoutMs + options.settleMs,
      environment: runner.server.environments.ssr,
      loaded,
      log: options.log,
    },
    sources,
  )
  const rel = (file: string) => relative(root, file).split(sep).join('/')

  const listeners = new Set<(result: RoundResult) => void>()
  let queue: Promise<unknown> = Promise.resolve()
  let queued = 0
  /** Rounds run one at a time, in the order they were asked for. */
  const serialize = <T>(job: () => Promise<T>): Promise<T> => {
    queued++
    const run = queue.then(job).finally(() => queued--)
    queue = run.catch(() => undefined)
    return run
  }
  const rounds = createRounds({ bus, timeoutMs: options.timeoutMs, log: options.log })

  const round = async (
    patch: Patch,
    members: Promise<string[]>,
    hold?: () => Promise<string | undefined>,
  ): Promise<RoundResult> => {
    const onCommit = () => {
      version = patch.version
      undo.remember(patch)
    }
    const result = await rounds.run(patch, await members, onCommit, hold)
    const failedOn = [...result.reports].flatMap(([m, r]) => (r.ok ? [] : [m]))
    if (failedOn.length > 0) await compensate(patch, failedOn)
    for (const l of listeners) l(result)
    return result
  }

  /** A commit failed on some members: roll the others back with a logged rollback patch, no vote. */
  const compensate = async (patch: Patch, failedOn: string[]) => {
    const rb = undo.rollbackPatch(version + 1)
    if (!rb) return
    options.log(`v${patch.version} failed on ${failedOn.join(', ')}: rolling every member back (v${rb.version})`)
    const members = await liveMembers(bus)
    // Decided by the coordinator alone: members that committed must undo it, there is nothing to vote on.
    if ((await bus.decide(rb, 'commit', '', rb, false)) !== 'commit') return
    version = rb.version
    undo.remember(rb)
    await rounds.apply(rb, members)
  }

  /** Whether a settled batch is exactly the save a patch was built from: the same files, the same text. */
  const isSave = (batch: string[], built: Built): boolean => {
    const saved = batch.filter((f) => built.texts.has(f) || builder.changed(f))
    return saved.length === built.texts.size && saved.every((f) => built.texts.has(f)) && builder.current(built.texts)
  }

  /** Publish the files of a settled batch that changed. */
  const publishSettled = (batch: string[] | undefined) => {
    const files = (batch ?? []).filter((f) => builder.changed(f))
    return files.length > 0 ? publish(files) : Promise.resolve(undefined)
  }

  /**
   * Propose these files as one patch. With `settled` (an early round, see early.ts) the commit waits for
   * the save to settle, and is withdrawn when it settled into something else, which is then proposed.
   */
  const publish = async (
    files: readonly string[],
    settled?: Promise<string[] | undefined>,
  ): Promise<RoundResult | undefined> => {
    // The voters are listed while the patch is transformed: neither waits for the other.
    const members = liveMembers(bus)
    const built = await builder.build(files, version + 1, settled !== undefined)
    if (!built) {
      members.catch(() => undefined)
      return settled ? publishSettled(await settled) : undefined
    }
    trace(built.patch.version, 'patch-built')
    const verdict = settled?.then((batch) => {
      trace(built.patch.version, 'settled')
      return { batch, same: batch !== undefined && isSave(batch, built) }
    })
    const hold = verdict
      ? async () => ((await verdict).same ? undefined : 'the save settled into other text; proposing that')
      : undefined
    const result = await round(built.patch, members, hold)
    // An aborted save stays a change: saving the same text again (after fixing a member) proposes it again.
    if (result.outcome === 'commit') builder.accept(built.texts)
    else if (verdict && !(await verdict).same) return publishSettled((await verdict).batch)
    return result
  }

  const early = createEarlySaves({
    idle: () => queued === 0 && options.mode === 'auto',
    start: (files, settled) => {
      trace(version + 1, 'write')
      void serialize(() =>
        publish(
          files.filter((f) => builder.changed(f)),
          settled,
        ),
      )
    },
    // Votes take up to the deadline, and the save its settle time after its last fs event.
    timeoutMs: options.timeoutMs + options.settleMs,
  })

  /** Saves probe mode holds back, root-relative, until `apply()`. */
  const pending = new Set<string>()
  const apply = () =>
    serialize(async () => {
      const files = [...pending].filter((f) => builder.changed(resolve(root, f)))
      pending.clear()
      if (files.length === 0) return undefined
      const result = await publish(files)
      // An aborted apply stays pending: the next apply proposes it again.
      if (result?.outcome === 'abort') for (const f of files) pending.add(f)
      return result
    })

  const rollback = () =>
    serialize(async () => {
      const rb = undo.rollbackPatch(version + 1)
      return rb ? round(rb, liveMembers(bus)) : undefined
    })

  const onBatch = (changes: FileChange[]) => {
    if (early.settled(changes.filter((c) => c.kind === 'change').map((c) => c.file))) return
    const files = changes.filter((c) => c.kind === 'change' && builder.changed(c.file)).map((c) => c.file)
    if (files.length === 0) return
    if (options.mode === 'probe') {
      for (const f of files) pending.add(rel(f))
      const list = [...pending].toSorted()
      options.log(
        `${list.length} change${list.length === 1 ? '' : 's'} pending (${list.join(', ')}): press Enter here or run \`hotclass fleet apply\` to publish`,
      )
      return
    }
    trace(version + 1, 'batch')
    void serialize(() => publish(files))
  }

  await bus.listen('up', (message) => {
    if (message.type !== 'request') return rounds.hear(message)
    options.log(`${message.action} requested by ${message.from}`)
    void (message.action === 'rollback' ? rollback() : apply())
      .then((result) => replyLine(message.action, result, options.mode))
      .catch((error: unknown) => ({ ok: false, line: `${message.action} failed: ${String(error)}` }))
      .then((answer) => {
        if (!answer.ok && !/^v\d/.test(answer.line)) options.log(answer.line)
        const reply: ReplyMessage = { type: 'reply', fleet: options.fleet, id: message.id, ...answer }
        return bus.publishReply(reply)
      })
      .catch(() => undefined)
  })

  const watcher: FileWatcher = createFileWatcher({
    settleMs: options.settleMs,
    batchMs: options.batchMs,
    onBatch,
    onWrite: (file) => early.write(file),
    onError: (error) => options.log(`file watching failed: ${String(error)}`),
  })
  for (const file of sources) watcher.track(file)
  await watcher.sync()

  let closing: Promise<void> | undefined
  return {
    get version() {
      return version
    },
    publish: (files) => serialize(() => publish(files)),
    apply,
    rollback,
    onRound: (listener) => void listeners.add(listener),
    close() {
      closing ??= (async () => {
        clearInterval(renew)
        await watcher.close()
        early.close()
        await queue
        if ((await bus.redis.get(lockKey).catch(() => null)) === lockValue)
          await bus.redis.del(lockKey).catch(() => undefined)
        await bus.close()
        await runner.close()
      })()
      return closing
    },
  }
}
