/* oxlint-disable no-underscore-dangle -- `__HOTCLASS__` is the global the client publishes */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { describeEnemy, inspector, mainTs, startGame, waitForPending, waitForReloads } from './probe-harness.ts'
import { useChromium } from './chromium.ts'
import type { Game, GameWindow } from './probe-harness.ts'

/**
 * Modules that cannot be swapped in place (here: they export a plain class, whose importers would keep
 * the old one) in real Chromium: carried by a swappable importer when every import chain ends at one,
 * else left to Vite, with the module and the reason said, never silently stale.
 */

const browser = useChromium()

const table = (speed: number) => `export class SpeedTable { speed(): number { return ${speed} } }\n`
const enemyWithTable = `import { reloadable } from 'hotclass'
import { SpeedTable } from './table.ts'
@reloadable()
export class Enemy {
  hp = 10
  describe(): string { return 'speed ' + new SpeedTable().speed() + ':' + this.hp }
}
`

describe('a plain module imported only by swappable modules rides along with them', () => {
  let g: Game
  beforeAll(async () => {
    g = await startGame(browser(), 'via', { 'table.ts': table(1), 'Enemy.ts': enemyWithTable })
  })
  afterAll(async () => {
    await g?.fx.close()
  })

  test('its importer is pending, naming it; the key swaps both in one transaction', async () => {
    expect(await describeEnemy(g.page)).toBe('speed 1:42')
    await g.fx.write('table.ts', table(2))
    await waitForPending(g.page, 1)
    const [pending] = (await inspector(g.page)).pending
    expect(pending).toMatchObject({ id: 'Enemy.ts', via: ['table.ts'] })
    expect(await describeEnemy(g.page)).toBe('speed 1:42')
    await g.page.keyboard.press('F5')
    await waitForReloads(g.page, 1)
    expect(await describeEnemy(g.page)).toBe('speed 2:42')
    expect(g.loads()).toBe(0)
  })
})

describe('a plain module the entry imports: a full reload, with the module and the reason logged', () => {
  let g: Game
  beforeAll(async () => {
    g = await startGame(browser(), 'reload', {
      'table.ts': table(1),
      'main.ts': mainTs(
        `import { SpeedTable } from './table.ts'\n;(globalThis as any).speed = new SpeedTable().speed()`,
      ),
    })
  })
  afterAll(async () => {
    await g?.fx.close()
  })

  test('the page reloads (stale code is never left running) and says why, before and after', async () => {
    await g.fx.write('table.ts', table(3))
    await g.page.waitForFunction(() => (globalThis as unknown as { speed?: number }).speed === 3, null, {
      timeout: 10_000,
    })
    expect(g.loads()).toBe(1)
    expect(g.fx.sent).toContain('full-reload')
    const said = g.console.filter((l) => l.includes('[hotclass] table.ts was not swapped in place'))
    expect(said.length).toBeGreaterThanOrEqual(1)
    expect(said.at(-1)).toMatch(/main\.ts.*the page reloads \(before this reload\)$/)
    expect((await inspector(g.page)).pending).toEqual([])
  })
})

const hud = (text: string) => `export class Hud { text = '${text}' }
;(globalThis as any).hudText = new Hud().text
if (import.meta.hot) import.meta.hot.accept()
`

describe('a module with its own import.meta.hot code is left to Vite HMR, which says so', () => {
  let g: Game
  beforeAll(async () => {
    g = await startGame(browser(), 'user-hmr', { 'hud.ts': hud('a'), 'main.ts': mainTs(`import './hud.ts'`) })
  })
  afterAll(async () => {
    await g?.fx.close()
  })

  test('the update is applied at once by Vite, without a page reload, and logged as such', async () => {
    await g.fx.write('hud.ts', hud('b'))
    await g.page.waitForFunction(() => (globalThis as unknown as { hudText: string }).hudText === 'b')
    expect(g.loads()).toBe(0)
    expect(g.fx.sent).toContain('update')
    await g.page.waitForFunction(() => (globalThis as GameWindow).__HOTCLASS__!.connected)
    expect(g.console.some((l) => /\[hotclass\] hud\.ts was not swapped in place .*Vite's HMR applies it/.test(l))).toBe(
      true,
    )
  })
})
