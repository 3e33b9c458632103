import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { inspector, startGame, waitForPending, waitForReports } from './probe-harness.ts'
import { useChromium } from './chromium.ts'
import type { Game } from './probe-harness.ts'

/**
 * A swap evaluates the modules whose source changed and nothing else. The case that forced it: a pixi
 * game whose nine entity modules `import { app } from '../main'`. Vite's HMR invalidation stamps every
 * importer of a changed module, so the fresh entity imported `main.ts?t=…`, the entry ran a second
 * time, a second renderer started and the game froze, while the report said ok.
 */

const browser = useChromium()

const count = (name: string) =>
  `;((globalThis as any).runs ??= {})['${name}'] = (((globalThis as any).runs['${name}'] as number) ?? 0) + 1`

const entity = (n: number, version: string) => `import { reloadable } from 'hotclass'
import { app } from './main.ts'
${count(`E${n}`)}
@reloadable()
export class E${n} {
  describe(): string { return app.name + ':E${n}-${version}' }
}
`

const names = Array.from({ length: 9 }, (_, i) => i + 1)
const main = `import { installProbe, onReload } from 'hotclass/client'
${names.map((n) => `import { E${n} } from './E${n}.ts'`).join('\n')}
${count('main')}
export const app = { name: 'app' }
const w = globalThis as any
w.entities = [${names.map((n) => `new E${n}()`).join(', ')}]
w.reports = []
onReload((r) => w.reports.push(r))
installProbe()
w.gameReady = true
`

describe('the probe key evaluates only what changed, never the entry the changed module imports', () => {
  let g: Game
  const runs = () => g.page.evaluate(() => (globalThis as unknown as { runs: Record<string, number> }).runs)
  const lastSwap = async () => {
    const report = (await inspector(g.page)).lastReport
    return { ok: report?.ok, modules: report?.modules.toSorted(), ...(report?.error && { error: report.error }) }
  }
  beforeAll(async () => {
    const files: Record<string, string> = { 'main.ts': main }
    for (const n of names) files[`E${n}.ts`] = entity(n, 'v1')
    g = await startGame(browser(), 'entry', files)
  })
  afterAll(async () => {
    await g?.fx.close()
  })

  test('editing a method of a module that imports the entry re-runs that module alone', async () => {
    const before = await runs()
    expect(before['main']).toBe(1)
    await g.fx.write('E3.ts', entity(3, 'v2'))
    await waitForPending(g.page, 1)
    expect((await inspector(g.page)).pending.map((p) => p.id)).toEqual(['E3.ts'])
    await g.page.keyboard.press('F5')
    await waitForReports(g.page, 1)
    expect(await lastSwap()).toEqual({ ok: true, modules: ['E3.ts'] })
    const described = await g.page.evaluate(() =>
      (globalThis as unknown as { entities: Array<{ describe(): string }> }).entities.map((e) => e.describe()),
    )
    expect(described[2]).toBe('app:E3-v2')
    expect(await runs()).toEqual({ ...before, E3: 2 })
    expect(g.loads()).toBe(0)
  })

  test('two more edits, one of them to two modules at once: still only the edited modules run', async () => {
    await g.fx.write('E3.ts', entity(3, 'v3'))
    await g.fx.write('E7.ts', entity(7, 'v2'))
    await waitForPending(g.page, 2)
    await g.page.keyboard.press('F5')
    await waitForReports(g.page, 2)
    expect(await lastSwap()).toEqual({ ok: true, modules: ['E3.ts', 'E7.ts'] })
    const after = await runs()
    expect(after['main']).toBe(1)
    expect(after['E3']).toBe(3)
    expect(after['E7']).toBe(2)
    expect(
      Object.entries(after)
        .filter(([, n]) => n > 1)
        .map(([k]) => k)
        .toSorted(),
    ).toEqual(['E3', 'E7'])
  })
})
