import { afterEach, describe, expect, test } from 'vitest'
import { ErrorCodes, rollback } from '../../src/index.ts'
import type { SwapReport } from '../../src/index.ts'
import { createReloader } from '../../src/client/reload.ts'
import type { Reloader, ReloaderDeps } from '../../src/client/reload.ts'
import type { ClientMessage } from '../../src/client/protocol.ts'
import type { ClientState } from '../../src/client/state.ts'

/** A page's F5 path on its own: no browser, no dev server, a state the test writes. */
function page(state: Partial<ClientState> = {}): { reloader: Reloader; sent: ClientMessage[]; heard: SwapReport[] } {
  const sent: ClientMessage[] = []
  const current: ClientState = {
    mode: 'probe',
    key: 'F5',
    overlay: true,
    evaluate: 'function',
    pending: [],
    problems: [],
    connected: true,
    ...state,
  }
  const deps: ReloaderDeps = {
    browser: { beginLog: () => ({ attempted: [], failed: undefined }), wasImported: () => false },
    send: (message) => void sent.push(message),
    current: () => current,
    dropPending: () => {},
    nextState: () => Promise.resolve(),
    hasServer: false,
  }
  const reloader = createReloader(deps)
  const heard: SwapReport[] = []
  reloader.onReload((report) => heard.push(report))
  pages.push(reloader)
  return { reloader, sent, heard }
}

const pages: Reloader[] = []
afterEach(() => {
  for (const p of pages.splice(0)) p.close()
})

describe('onReload is the page’s one stream of reports', () => {
  test('a press with nothing pending is heard as an empty successful swap, and nothing is sent', async () => {
    const { reloader, sent, heard } = page()
    const report = await reloader.doReload()
    expect(report).toMatchObject({ ok: true, modules: [], kind: 'swap' })
    expect(heard).toEqual([report])
    expect(reloader.lastReport).toBe(report)
    expect(reloader.reloadCount).toBe(0)
    expect(sent).toEqual([])
  })

  test('a rollback by hand reaches onReload too, without a second subscription', async () => {
    const { reloader, heard } = page()
    const report = await rollback()
    expect(heard).toEqual([report])
    expect(heard[0]).toMatchObject({ kind: 'rollback' })
    expect(reloader.lastReport).toBe(report)
    if (!report.ok) expect(report.error?.code).toBe(ErrorCodes.NOTHING_TO_ROLLBACK)
  })

  test('after close() the page hears no more reports', async () => {
    const { reloader, heard } = page()
    reloader.close()
    await rollback()
    expect(heard).toEqual([])
  })

  test('presses while a swap runs share one follow-up', async () => {
    const { reloader, heard } = page()
    const first = reloader.doReload()
    const second = reloader.doReload()
    const third = reloader.doReload()
    expect(third).toBe(second)
    await Promise.all([first, second])
    expect(heard).toHaveLength(2)
  })
})
