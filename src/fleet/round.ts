import type { Bus } from './bus.ts'
import type { Patch, RequestAction, UpMessage } from './messages.ts'
import { trace } from './trace.ts'

/** What one round of two-phase commit ended with, for callers and tests. */
export interface RoundResult {
  version: number
  outcome: 'commit' | 'abort'
  /** Aborted by the coordinator itself (`hold`): the patch was superseded, no member refused it. */
  withdrawn: boolean
  reasons: string[]
  /** The voters of the round, and the reports heard from them after a commit. */
  members: readonly string[]
  reports: Map<string, { ok: boolean; line: string }>
}

export interface RoundOptions {
  bus: Bus
  /** How long members have to vote, and to report after a commit. */
  timeoutMs: number
  log(line: string): void
}

/** The coordinator's half of two-phase commit. Members' messages reach it through `hear`. */
export interface Rounds {
  hear(message: UpMessage): void
  /**
   * Prepare, vote, decide, commit, report: one version on `members`, all or none. `onCommit` runs as
   * soon as the commit is decided, before the reports are in. `hold`, when given, is asked once the
   * votes are in: it may wait, and a reason it returns withdraws the patch (an abort, not a failure).
   */
  run(
    patch: Patch,
    members: readonly string[],
    onCommit: () => void,
    hold?: () => Promise<string | undefined>,
  ): Promise<RoundResult>
  /** A patch already decided and logged (compensation): published to apply at once, reports collected. */
  apply(patch: Patch, members: readonly string[]): Promise<RoundResult['reports']>
}

export function createRounds(options: RoundOptions): Rounds {
  const { bus, timeoutMs } = options
  const handlers = new Set<(message: UpMessage) => void>()

  /**
   * Hear members' messages until `done()`, or until the deadline once `arm()` starts it. Listening
   * starts before the caller publishes anything, so an answer that comes back at once is never missed.
   */
  const collect = (done: () => boolean, onMessage: (m: UpMessage) => void) => {
    let finish!: () => void
    let timer: ReturnType<typeof setTimeout> | undefined
    const over = new Promise<void>((resolve) => (finish = resolve)).then(() => {
      clearTimeout(timer)
      handlers.delete(handler)
    })
    const handler = (m: UpMessage) => {
      onMessage(m)
      if (done()) finish()
    }
    handlers.add(handler)
    if (done()) finish()
    return {
      over,
      arm: () => void (timer ??= setTimeout(finish, timeoutMs)),
      stop: () => finish(),
    }
  }

  /** Reports of version `v`: heard from the start, the deadline counted from the commit (`arm`). */
  const collectReports = (v: number, members: readonly string[]) => {
    const reports: RoundResult['reports'] = new Map()
    const collecting = collect(
      () => members.every((m) => reports.has(m)),
      (m) => m.type === 'report' && m.version === v && reports.set(m.member, { ok: m.ok, line: m.line }),
    )
    return { reports, ...collecting }
  }

  const printReports = (v: number, members: readonly string[], reports: RoundResult['reports']) => {
    for (const m of members) {
      const r = reports.get(m)
      options.log(
        `v${v} ${m}: ${r ? r.line : `no report within ${timeoutMs} ms (the member may have died; it catches up when it restarts)`}`,
      )
    }
  }

  return {
    hear(message) {
      for (const h of handlers) h(message)
    },

    async run(patch, members, onCommit, hold) {
      const v = patch.version
      // After Redis went away, a prepare published before this process hears its channel again would
      // collect votes it cannot hear.
      await bus.connected()
      const votes = new Map<string, { ok: boolean; reason: string }>()
      const voting = collect(
        () => members.every((m) => votes.has(m)),
        (m) => m.type === 'vote' && m.round === patch.round && votes.set(m.member, { ok: m.ok, reason: m.reason }),
      )
      voting.arm()
      const reporting = collectReports(v, members)
      await bus.publishDown({ type: 'prepare', patch })
      trace(v, 'prepare-sent')
      const size = patch.modules.reduce((n, m) => n + (m.code?.length ?? 0), 0)
      options.log(
        `v${v} prepare ${patch.kind === 'rollback' ? `rollback of v${patch.reverts}` : patch.order.join(', ')} (${size} bytes) on ${members.length} member(s)`,
      )
      await voting.over
      trace(v, 'votes-in')
      const reasons: string[] = []
      for (const m of members) {
        const vote = votes.get(m)
        if (!vote) reasons.push(`${m} did not vote within ${timeoutMs} ms`)
        else if (!vote.ok) reasons.push(`${m} cannot prepare: ${vote.reason}`)
      }
      const withdrawn = reasons.length === 0 && hold ? await hold() : undefined
      if (withdrawn !== undefined) reasons.push(withdrawn)
      const outcome = await bus.decide(
        patch,
        reasons.length === 0 ? 'commit' : 'abort',
        reasons.join('; ') || `the fleet is no longer at v${v - 1} (another coordinator?)`,
        patch,
      )
      trace(v, 'decided')
      if (outcome === 'commit') reporting.arm()
      else reporting.stop()
      if (outcome === 'abort' && reasons.length === 0) reasons.push('a member presumed abort before the decision')
      const result: RoundResult = {
        version: v,
        outcome,
        withdrawn: withdrawn !== undefined,
        reasons,
        members,
        reports: reporting.reports,
      }
      if (withdrawn !== undefined) {
        options.log(`v${v} withdrawn: ${withdrawn}`)
        return result
      }
      if (outcome === 'abort') {
        options.log(`v${v} aborted on every member: ${reasons.join('; ')}`)
        return result
      }
      onCommit()
      await reporting.over
      trace(v, 'reports-in')
      options.log(`v${v} committed`)
      printReports(v, members, reporting.reports)
      return result
    },

    async apply(patch, members) {
      const reporting = collectReports(patch.version, members)
      await bus.publishDown({ type: 'apply', patch })
      reporting.arm()
      await reporting.over
      printReports(patch.version, members, reporting.reports)
      return reporting.reports
    },
  }
}

/** The one line a `fleet` command prints for the round its request ran (or did not run). */
export function replyLine(action: RequestAction, result: RoundResult | undefined, mode: 'auto' | 'probe') {
  if (!result)
    return action === 'rollback'
      ? { ok: false, line: 'nothing to roll back: no patch since the fleet started is left to undo' }
      : {
          ok: false,
          line:
            mode === 'probe'
              ? 'nothing pending: no save since the last patch'
              : 'nothing pending: this coordinator publishes every save (start it with --probe to queue them)',
        }
  const v = result.version
  if (result.outcome === 'abort') return { ok: false, line: `v${v} aborted: ${result.reasons.join('; ')}` }
  const failed = [...result.reports].flatMap(([m, r]) => (r.ok ? [] : [m]))
  if (failed.length > 0) return { ok: false, line: `v${v} failed on ${failed.join(', ')}: rolled back on every member` }
  const done = `v${v} ${action === 'rollback' ? 'rolled back' : 'committed'}`
  const silent = result.members.filter((m) => !result.reports.has(m))
  return silent.length === 0
    ? { ok: true, line: `${done} on every member` }
    : {
        ok: true,
        line: `${done}; no report from ${silent.join(', ')} (a member that died catches up when it restarts)`,
      }
}
