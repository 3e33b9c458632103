import { describe, expect, it } from 'vitest'
import { replyLine } from '../../src/fleet/round.ts'
import type { RoundResult } from '../../src/fleet/round.ts'

// The one line `fleet apply` / `fleet rollback` print, and whether they exit 0.

const round = (over: Partial<RoundResult>): RoundResult => ({
  version: 3,
  outcome: 'commit',
  withdrawn: false,
  reasons: [],
  members: ['m0', 'm1'],
  reports: new Map([
    ['m0', { ok: true, line: 'swapped Enemy' }],
    ['m1', { ok: true, line: 'swapped Enemy' }],
  ]),
  ...over,
})

describe('the answer to a fleet request', () => {
  it('says there was nothing to do, and fails', () => {
    expect(replyLine('rollback', undefined, 'auto')).toEqual({
      ok: false,
      line: 'nothing to roll back: no patch since the fleet started is left to undo',
    })
    expect(replyLine('apply', undefined, 'probe')).toEqual({
      ok: false,
      line: 'nothing pending: no save since the last patch',
    })
    expect(replyLine('apply', undefined, 'auto').line).toMatch(/publishes every save .*--probe/)
  })

  it('succeeds only when every member took the patch', () => {
    expect(replyLine('apply', round({}), 'probe')).toEqual({ ok: true, line: 'v3 committed on every member' })
    expect(replyLine('rollback', round({}), 'auto')).toEqual({ ok: true, line: 'v3 rolled back on every member' })
    expect(replyLine('apply', round({ outcome: 'abort', reasons: ['m1 cannot prepare: x'] }), 'probe')).toEqual({
      ok: false,
      line: 'v3 aborted: m1 cannot prepare: x',
    })
    const failed = round({ reports: new Map([['m0', { ok: false, line: 'failed' }]]) })
    expect(replyLine('apply', failed, 'probe')).toEqual({
      ok: false,
      line: 'v3 failed on m0: rolled back on every member',
    })
  })

  it('names the members that did not report a commit', () => {
    const silent = round({ reports: new Map([['m0', { ok: true, line: 'swapped' }]]) })
    expect(replyLine('apply', silent, 'probe')).toEqual({
      ok: true,
      line: 'v3 committed; no report from m1 (a member that died catches up when it restarts)',
    })
  })
})
