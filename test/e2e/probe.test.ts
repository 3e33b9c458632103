/* oxlint-disable no-underscore-dangle -- `__HOTCLASS__` is the global the client publishes */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest'
import {
  describeEnemy,
  enemyTs,
  inspector,
  mainTs,
  startGame,
  waitForPending,
  waitForReloads,
} from './probe-harness.ts'
import { useChromium } from './chromium.ts'
import type { Browserish, Game, GameWindow } from './probe-harness.ts'

/** Probe mode in real Chromium: saves wait for the key, the key swaps without reloading the page. */

const browser = useChromium()

/** The reports the page's `onReload` listener has collected, as plain data. */
const reportsOf = (g: Game) =>
  g.page.evaluate(() =>
    (globalThis as unknown as { reports: Array<{ ok: boolean; modules: string[] }> }).reports.map((r) => ({
      ok: r.ok,
      modules: r.modules,
    })),
  )

describe('probe mode: a save waits, the probe key swaps it into the running page', () => {
  // Every test plays its own game, so each passes alone (`vitest -t`) and in any order.
  let g: Game
  beforeEach(async () => {
    g = await startGame(browser(), 'probe')
  })
  afterEach(async () => {
    await g?.fx.close()
  })

  test('a save is pending and changes nothing until the key is pressed', async () => {
    expect(await describeEnemy(g.page)).toBe('v1:42')
    await g.fx.write('Enemy.ts', enemyTs('v2'))
    await waitForPending(g.page, 1)
    const { pending } = await inspector(g.page)
    expect(pending.map((p) => p.id)).toEqual(['Enemy.ts'])
    // The server decided before the page heard of the pending save: Vite's own HMR was given nothing.
    expect(g.fx.sent.filter((type) => type === 'update' || type === 'full-reload')).toEqual([])
    expect(await describeEnemy(g.page)).toBe('v1:42')
    expect(await g.page.evaluate(() => (globalThis as unknown as { pendingCounts: number[] }).pendingCounts)).toEqual([
      0, 1,
    ])
  })

  test('a save seen mid-write (an empty file, then its text) is one pending swappable version', async () => {
    // What an editor plus a formatter can do: truncate, then write, with one change event between.
    const path = join(g.fx.dir, 'Enemy.ts')
    writeFileSync(path, '')
    writeFileSync(path, enemyTs('v2'))
    await waitForPending(g.page, 1)
    const { pending } = await inspector(g.page)
    expect(pending.map((p) => [p.id, p.via])).toEqual([['Enemy.ts', []]])
    await g.page.keyboard.press('F5')
    await waitForReloads(g.page, 1)
    expect(await describeEnemy(g.page)).toBe('v2:42')
    expect((await inspector(g.page)).pending).toEqual([])
  })

  test('F5 swaps: the live instance runs the new code with its state, the page does not reload', async () => {
    await g.fx.write('Enemy.ts', enemyTs('v2'))
    await waitForPending(g.page, 1)
    await g.page.keyboard.press('F5')
    await waitForReloads(g.page, 1)
    expect(await describeEnemy(g.page)).toBe('v2:42')
    const state = await inspector(g.page)
    expect(state.pending).toEqual([])
    expect(state.lastReport).toMatchObject({ ok: true, modules: ['Enemy.ts'] })
    expect(g.keys).toEqual([{ key: 'F5', prevented: true }])
    expect(g.loads()).toBe(0)
  })

  test('holding the key down swaps once; the next press swaps again', async () => {
    await g.fx.write('Enemy.ts', enemyTs('v3'))
    await waitForPending(g.page, 1)
    for (let i = 0; i < 6; i++) await g.page.keyboard.down('F5') // auto-repeat: repeat = true after the first
    await g.page.keyboard.up('F5')
    await waitForReloads(g.page, 1)
    expect(g.keys.slice(-6).every((k) => k.prevented)).toBe(true)

    await g.fx.write('Enemy.ts', enemyTs('v4'))
    await waitForPending(g.page, 1)
    await g.page.keyboard.press('F5')
    await waitForReloads(g.page, 2)
    expect(await describeEnemy(g.page)).toBe('v4:42')
    // Swaps run in the order they were asked for: a second swap from the held key would stand between.
    expect(await reportsOf(g)).toEqual([
      { ok: true, modules: ['Enemy.ts'] },
      { ok: true, modules: ['Enemy.ts'] },
    ])
  })

  test('probeReload(isDown) driven by the game every frame is edge-triggered too', async () => {
    await g.fx.write('Enemy.ts', enemyTs('v5'))
    await waitForPending(g.page, 1)
    const swaps = await g.page.evaluate(async () => {
      const probe = (globalThis as unknown as { probeReload(d: boolean): Promise<unknown> | undefined }).probeReload
      let started = 0
      for (let frame = 0; frame < 30; frame++) {
        await new Promise((r) => (globalThis as unknown as Browserish).requestAnimationFrame(() => r(0)))
        if (probe(frame < 20)) started++ // held for 20 frames, then released
      }
      return started
    })
    expect(swaps).toBe(1)
    await waitForReloads(g.page, 1)
    expect(await describeEnemy(g.page)).toBe('v5:42')
  })

  test('with a modifier the key is left to the browser (Shift+F5 is a real reload)', async () => {
    await g.page.keyboard.press('Shift+F5')
    // The probe decides in the capture phase, before the page's own listener records the key: once it
    // is recorded, a swap the probe started would have reported already (nothing is pending).
    await vi.waitFor(() => expect(g.keys.at(-1)).toEqual({ key: 'F5', prevented: false }))
    if (g.loads() === 0) expect(await reportsOf(g)).toEqual([])
  })
})

// Counts its evaluations: a swap must evaluate each module once, however many importers it has.
const base = (v: string, extra = '') => `import { reloadable } from 'hotclass'
;(globalThis as any).baseEvaluations = ((globalThis as any).baseEvaluations ?? 0) + 1
${extra}
@reloadable()
export class Base {
  kind(): string { return 'base-${v}' }
}
`
const boss = (v: string, extra = '') => `import { reloadable } from 'hotclass'
import { Base } from './Base.ts'
${extra}
@reloadable()
export class Boss extends Base {
  override kind(): string { return super.kind() + '/boss-${v}' }
}
`

describe('one transaction in dependency order, and only what was applied leaves the pending set', () => {
  let g: Game
  const kind = () => g.page.evaluate(() => (globalThis as unknown as { boss: { kind(): string } }).boss.kind())
  beforeEach(async () => {
    g = await startGame(browser(), 'order', {
      'Base.ts': base('1'),
      'Boss.ts': boss('1'),
      'main.ts': mainTs(`import { Boss } from './Boss.ts'\n;(globalThis as any).boss = new Boss()`),
    })
  })
  afterEach(async () => {
    await g?.fx.close()
  })

  test('a subclass saved before its base is still swapped after it, in one transaction', async () => {
    expect(await kind()).toBe('base-1/boss-1')
    await g.fx.write('Boss.ts', boss('2'))
    await waitForPending(g.page, 1)
    await g.fx.write('Base.ts', base('2'))
    await waitForPending(g.page, 2)
    expect((await inspector(g.page)).pending.map((p) => p.id)).toEqual(['Base.ts', 'Boss.ts'])
    await g.page.keyboard.press('F5')
    await waitForReloads(g.page, 1)
    expect(await kind()).toBe('base-2/boss-2')
    expect((await inspector(g.page)).lastReport).toMatchObject({ ok: true, modules: ['Base.ts', 'Boss.ts'] })
    expect(await g.page.evaluate(() => (globalThis as unknown as { baseEvaluations: number }).baseEvaluations)).toBe(2)
  })

  test('a module that fails to load is held back and the rest applies; after the fix it applies too', async () => {
    await g.fx.write('Base.ts', base('3'))
    await g.fx.write('Boss.ts', boss('3', `throw new Error('boss is broken')`))
    await waitForPending(g.page, 2)
    await g.page.keyboard.press('F5')
    // The first attempt fails on Boss.ts; the retry without it commits Base.ts alone.
    await waitForReloads(g.page, 1)
    const reports = await g.page.evaluate(() =>
      (
        globalThis as unknown as { reports: Array<{ ok: boolean; modules: string[]; error?: { code: string } }> }
      ).reports
        .slice(-2)
        .map((r) => ({ ok: r.ok, modules: r.modules, code: r.error?.code })),
    )
    expect(reports).toEqual([
      { ok: false, modules: ['Base.ts', 'Boss.ts'], code: 'HOTCLASS_LOAD_FAILED' },
      { ok: true, modules: ['Base.ts'], code: undefined },
    ])
    expect((await inspector(g.page)).pending.map((p) => p.id)).toEqual(['Boss.ts'])
    expect(await kind()).toBe('base-3/boss-1')

    const before = (await inspector(g.page)).pending.find((p) => p.id === 'Boss.ts')!.mtime
    await g.fx.write('Boss.ts', boss('3'))
    await g.page.waitForFunction(
      (t) => (globalThis as GameWindow).__HOTCLASS__!.pending.some((p) => p.id === 'Boss.ts' && p.mtime !== t),
      before,
    )
    await g.page.keyboard.press('F5')
    await waitForReloads(g.page, 2)
    expect(await kind()).toBe('base-3/boss-3')
    expect((await inspector(g.page)).pending).toEqual([])
  })
})

describe('a save that lands while a swap runs stays pending', () => {
  let g: Game
  beforeAll(async () => {
    g = await startGame(browser(), 'during')
  })
  afterAll(async () => {
    await g?.fx.close()
  })

  test('only the version the swap applied leaves the pending set', async () => {
    // v2 says it is evaluating and waits for the test, so v3 is saved while the swap of v2 runs.
    const gated = `const w = globalThis as any
w.evaluatingV2 = true
await new Promise((resolve) => (w.releaseV2 = resolve))`
    await g.fx.write('Enemy.ts', enemyTs('v2', gated))
    await waitForPending(g.page, 1)
    const [v2] = (await inspector(g.page)).pending
    await g.page.keyboard.press('F5')
    await g.page.waitForFunction(() => (globalThis as unknown as { evaluatingV2?: boolean }).evaluatingV2 === true)
    await g.fx.write('Enemy.ts', enemyTs('v3'))
    await g.page.waitForFunction(
      (t) => (globalThis as GameWindow).__HOTCLASS__!.pending.some((p) => p.id === 'Enemy.ts' && p.t > t),
      v2!.t,
    )
    await g.page.evaluate(() => (globalThis as unknown as { releaseV2(): void }).releaseV2())
    await waitForReloads(g.page, 1)
    expect(await describeEnemy(g.page)).toBe('v2:42')
    expect((await inspector(g.page)).pending.map((p) => p.id)).toEqual(['Enemy.ts'])
    await g.page.keyboard.press('F5')
    await waitForReloads(g.page, 2)
    expect(await describeEnemy(g.page)).toBe('v3:42')
    expect((await inspector(g.page)).pending).toEqual([])
  })
})
