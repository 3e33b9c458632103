import { afterEach, describe, expect, it, vi } from 'vitest'
import { createEarlySaves } from '../../src/fleet/early.ts'

// The bookkeeping of early rounds (src/fleet/early.ts), without processes: which fs events start a
// round, and which settled batch it gets. test/fleet/early.test.ts runs the real thing.

function setup(idle = true) {
  const started: Array<{ files: string[]; settled: Promise<string[] | undefined> }> = []
  const state = { idle }
  const early = createEarlySaves({
    idle: () => state.idle,
    start: (files, settled) => void started.push({ files, settled }),
    timeoutMs: 1000,
  })
  return { early, started, state }
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve))

afterEach(() => {
  vi.useRealTimers()
})

describe('early rounds', () => {
  it('the fs events of one turn start one round, which takes the next settled batch', async () => {
    const { early, started } = setup()
    early.write('/p/a.ts')
    early.write('/p/b.ts')
    early.write('/p/a.ts')
    await turn()
    expect(started.map((s) => s.files)).toEqual([['/p/a.ts', '/p/b.ts']])
    early.write('/p/c.ts') // a round is waiting: no second one
    await turn()
    expect(started).toHaveLength(1)
    expect(early.settled(['/p/a.ts', '/p/b.ts'])).toBe(true)
    await expect(started[0]!.settled).resolves.toEqual(['/p/a.ts', '/p/b.ts'])
    // Taken: the next batch is the caller's to publish.
    expect(early.settled(['/p/c.ts'])).toBe(false)
  })

  it('no round starts while another runs or is queued', async () => {
    const { early, started, state } = setup(false)
    early.write('/p/a.ts')
    await turn()
    expect(started).toHaveLength(0)
    expect(early.settled(['/p/a.ts'])).toBe(false)
    state.idle = true
    early.write('/p/a.ts')
    await turn()
    expect(started).toHaveLength(1)
  })

  it('a round whose save never settles gets undefined, and the next batch is published as usual', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { early, started } = setup()
    early.write('/p/a.ts')
    await turn()
    vi.advanceTimersByTime(1000)
    await expect(started[0]!.settled).resolves.toBeUndefined()
    expect(early.settled(['/p/a.ts'])).toBe(false)
  })

  it('close releases a waiting round', async () => {
    const { early, started } = setup()
    early.write('/p/a.ts')
    await turn()
    early.close()
    await expect(started[0]!.settled).resolves.toBeUndefined()
  })
})
