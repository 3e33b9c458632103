import { afterEach, describe, expect, test } from 'vitest'
import { useChromium } from './chromium.ts'
import { describeEnemy, enemyTs, inspector, startGame, waitForPending, waitForReports } from './probe-harness.ts'
import type { Game, GameWindow } from './probe-harness.ts'

/**
 * One broken file must not hold every other save hostage (issue 12): the probe key applies the largest
 * set of pending modules that does not need a broken one, in one transaction, and the broken one stays
 * pending with its error.
 */

const browser = useChromium()

const tower = (label: string) => `import { reloadable } from 'hotclass'
@reloadable()
export class Tower {
  describe(): string { return '${label}' }
}
`
/** Boss imports Enemy, so a broken Enemy holds it back too. */
const boss = (label: string) => `import { reloadable } from 'hotclass'
import { Enemy } from './Enemy.ts'
@reloadable()
export class Boss extends Enemy {
  override describe(): string { return '${label}' }
}
`
const files = {
  'Tower.ts': tower('t1'),
  'Boss.ts': boss('b1'),
  'live.ts': `import { Tower } from './Tower.ts'
import { Boss } from './Boss.ts'
const w = globalThis as any
w.tower = new Tower()
w.boss = new Boss()
`,
}

const brokenEnemy = {
  'a syntax error': `import { reloadable } from 'hotclass'
@reloadable()
export class Enemy {
  hp = 10
  describe(): string { return 'v2:' + }
}
`,
  'a throw at top level': enemyTs('v2', `throw new Error('Enemy is broken')`),
}

function labels(g: Game): Promise<string[]> {
  return g.page.evaluate(() => {
    const w = globalThis as unknown as Record<'tower' | 'boss', { describe(): string }>
    return [w.tower.describe(), w.boss.describe()]
  })
}

let g: Game | undefined
afterEach(async () => {
  await g?.fx.close()
  g = undefined
})

describe('with one file broken, the probe key applies the rest', () => {
  test.each(Object.entries(brokenEnemy))(
    '%s in Enemy.ts: Tower applies, Enemy and Boss (which imports it) stay pending; the fix brings both',
    async (kind, source) => {
      g = await startGame(browser(), `hostage-${kind.replace(/\W+/g, '-')}`, files)
      await g.page.addScriptTag({ type: 'module', content: `import '/live.ts'` })
      await g.page.waitForFunction(() => (globalThis as unknown as { boss?: object }).boss !== undefined)

      await g.fx.write('Enemy.ts', source)
      await g.fx.write('Tower.ts', tower('t2'))
      await g.fx.write('Boss.ts', boss('b2'))
      await waitForPending(g.page, 3)

      const before = (await inspector(g.page)).reloadCount
      await g.page.keyboard.press('F5')
      await g.page.waitForFunction((n) => (globalThis as GameWindow).__HOTCLASS__!.reloadCount > n, before)
      const view = await inspector(g.page)
      expect(view.lastReport?.ok).toBe(true)
      expect(view.lastReport?.modules).toEqual(['Tower.ts'])
      expect(view.pending.map((p) => p.id).toSorted()).toEqual(['Boss.ts', 'Enemy.ts'])
      expect(await labels(g)).toEqual(['t2', 'b1'])
      expect(await describeEnemy(g.page)).toBe('v1:42')

      const brokenSave = view.pending.find((p) => p.id === 'Enemy.ts')!.mtime
      await g.fx.write('Enemy.ts', enemyTs('v3'))
      await g.page.waitForFunction((mtime) => {
        const hc = (globalThis as GameWindow).__HOTCLASS__!
        return hc.problems.length === 0 && hc.pending.some((p) => p.id === 'Enemy.ts' && p.mtime !== mtime)
      }, brokenSave)
      const reports = await g.page.evaluate(() => (globalThis as unknown as { reports: unknown[] }).reports.length)
      await g.page.keyboard.press('F5')
      await waitForReports(g.page, reports + 1)
      const fixed = await inspector(g.page)
      expect(fixed.lastReport?.ok, fixed.lastReport?.error?.message).toBe(true)
      expect(fixed.lastReport?.modules.toSorted()).toEqual(['Boss.ts', 'Enemy.ts'])
      expect(fixed.pending).toEqual([])
      expect(await describeEnemy(g.page)).toBe('v3:42')
      expect(await labels(g)).toEqual(['t2', 'b2'])
    },
  )
})
