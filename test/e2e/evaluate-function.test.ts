import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { inlineMap, originalPosition } from '../../src/client/source-map.ts'
import { useChromium } from './chromium.ts'
import { inspector, mainTs, startGame, waitForPending, waitForReloads, waitForReports } from './probe-harness.ts'
import type { Game, GameWindow } from './probe-harness.ts'

/**
 * Swapped versions evaluated as functions, outside the browser's module map (issue 12: a page never
 * drops a module it imported, so every `?t=` version cost memory for good). Real Chromium, the probe key.
 */

const browser = useChromium()

/**
 * A version of Enemy.ts. `hit()` bumps a module-level `let` the continuity transform keeps across
 * versions; `fail()` throws on line 11 of the source, whatever the version.
 */
function enemy(version: string, step = 1): string {
  return `import { reloadable } from 'hotclass'
let kills = 0
@reloadable()
export class Enemy {
  hp = 10
  describe(): string {
    return '${version}:' + this.hp
  }
  hit(): number { kills += ${step}; return kills }
  fail(): never {
    throw new Error('${version} failed')
  }
}
`
}
const FAIL_LINE = 11

/** Which URLs the page fetched: versions as functions, and any `?t=` module script of Enemy.ts. */
function watchRequests(page: Page): { functions: string[]; modules: string[] } {
  const seen = { functions: [] as string[], modules: [] as string[] }
  page.on('request', (r) => {
    const url = r.url()
    if (url.includes('/@hotclass/evaluable/')) seen.functions.push(url)
    else if (/\/Enemy\.ts\?t=/.test(url)) seen.modules.push(url)
  })
  return seen
}

type Live = typeof globalThis & { enemy: { describe(): string; hit(): number; fail(): never } }

describe('a class edited three times, each version evaluated as a function', () => {
  let g: Game
  let requests: { functions: string[]; modules: string[] }
  beforeAll(async () => {
    g = await startGame(browser(), 'evaluate-function', { 'Enemy.ts': enemy('v1') }, { evaluate: 'function' })
    requests = watchRequests(g.page)
  })
  afterAll(async () => {
    await g?.fx.close()
  })

  test('live instances run the newest code, keep their state, and the module’s let carries on', async () => {
    const hits: number[] = [await g.page.evaluate(() => (globalThis as Live).enemy.hit())]
    for (const [i, version] of ['v2', 'v3', 'v4'].entries()) {
      await g.fx.write('Enemy.ts', enemy(version, 10 ** (i + 1)))
      await waitForPending(g.page, 1)
      await g.page.keyboard.press('F5')
      await waitForReloads(g.page, i + 1)
      expect(await g.page.evaluate(() => (globalThis as Live).enemy.describe())).toBe(`${version}:42`)
      hits.push(await g.page.evaluate(() => (globalThis as Live).enemy.hit()))
    }
    // kills: v1 adds 1, v2 adds 10, v3 100, v4 1000, each on the running total.
    expect(hits).toEqual([1, 11, 111, 1111])
    expect((await inspector(g.page)).lastReport?.ok).toBe(true)
    // Each version came as a function; no version was imported as a module.
    expect(requests.functions.filter((u) => u.includes('/Enemy.ts?t='))).toHaveLength(3)
    expect(requests.modules).toEqual([])
  })

  test('a module imported for the first time after the swaps links to the Enemy module the page has', async () => {
    // A lazy scene: served after the swaps, it must not import a new `?t=` version of Enemy.ts as a
    // module record of its own (that would run the module a second time, outside any swap).
    await g.fx.write(
      'Scene.ts',
      "import { Enemy } from './Enemy.ts'\nexport const made = new Enemy()\nexport { Enemy }\n",
    )
    // A string, so that the test file's own transform leaves this `import()` alone.
    const seen = await g.page.evaluate(`import(location.origin + '/Scene.ts').then((scene) => ({
      same: scene.Enemy === globalThis.enemy.constructor,
      made: scene.made.describe(),
    }))`)
    expect(seen).toEqual({ same: true, made: 'v4:10' })
    expect(requests.modules).toEqual([])
  })

  test('a throw in swapped code names the module in its stack, at a position its source map puts on the source line', async () => {
    const stack = await g.page.evaluate(() => {
      try {
        return (globalThis as Live).enemy.fail()
      } catch (error) {
        return (error as Error).stack ?? ''
      }
    })
    expect(stack).toContain('v4 failed')
    const frame = /\((http:[^)]*\/Enemy\.ts\?t=\d+):(\d+):(\d+)\)/.exec(stack)
    expect(frame, stack).not.toBeNull()
    const [, href, line, column] = frame!
    // The text the page evaluated for that version, as the server offers it (the page adds only the
    // sourceURL comment at its end).
    const body = await (await fetch(href!.replace(/\/Enemy\.ts/, '/@hotclass/evaluable/Enemy.ts'))).text()
    const position = originalPosition(inlineMap(body)!, Number(line), Number(column))
    expect(position).toMatchObject({ source: 'Enemy.ts', line: FAIL_LINE })
  })

  test('a throw while a version evaluates: the failed swap names the TypeScript file and line; the old code runs on', async () => {
    const throwing = enemy('v5').replace(
      'let kills = 0',
      "let kills = 0\nif (Math.random() >= 0) throw new Error('spawn table missing')",
    )
    const reports = (await g.page.evaluate(() => (globalThis as unknown as { reports: unknown[] }).reports.length)) + 1
    await g.fx.write('Enemy.ts', throwing)
    await waitForPending(g.page, 1)
    await g.page.keyboard.press('F5')
    await waitForReports(g.page, reports)
    const { lastReport } = await inspector(g.page)
    expect(lastReport?.error?.code).toBe('HOTCLASS_LOAD_FAILED')
    expect(lastReport?.error?.message).toMatch(/Enemy\.ts:3:\d+: spawn table missing/)
    expect(await g.page.evaluate(() => (globalThis as Live).enemy.describe())).toBe('v4:42')
    expect(requests.modules).toEqual([])
  })
})

describe("a page whose CSP forbids 'unsafe-eval' imports modules instead, and still swaps", () => {
  let g: Game
  beforeAll(async () => {
    const html = `<!doctype html>
<html><head><meta charset="utf-8" />
<meta http-equiv="Content-Security-Policy" content="script-src 'self'" />
</head><body><script type="module" src="/main.ts"></script></body></html>
`
    g = await startGame(
      browser(),
      'evaluate-csp',
      { 'index.html': html, 'Enemy.ts': enemy('v1') },
      { evaluate: 'function' },
    )
  })
  afterAll(async () => {
    await g?.fx.close()
  })

  test('the swap goes through a ?t= module; no version is fetched as a function', async () => {
    const requests = watchRequests(g.page)
    await g.fx.write('Enemy.ts', enemy('v2', 10))
    await waitForPending(g.page, 1)
    await g.page.keyboard.press('F5')
    await waitForReloads(g.page, 1)
    expect(await g.page.evaluate(() => (globalThis as Live).enemy.describe())).toBe('v2:42')
    expect(await g.page.evaluate(() => (globalThis as Live).enemy.hit())).toBe(10)
    expect(requests.functions).toEqual([])
    expect(requests.modules.length).toBeGreaterThan(0)
  })
})

describe("evaluate: 'module' imports each version as a ?t= module", () => {
  let g: Game
  beforeAll(async () => {
    g = await startGame(browser(), 'evaluate-module', { 'Enemy.ts': enemy('v1') }, { evaluate: 'module' })
  })
  afterAll(async () => {
    await g?.fx.close()
  })

  test('two swaps go through modules, keep state and run the newest code', async () => {
    const requests = watchRequests(g.page)
    for (const [i, version] of ['v2', 'v3'].entries()) {
      await g.fx.write('Enemy.ts', enemy(version, 10))
      await waitForPending(g.page, 1)
      await g.page.keyboard.press('F5')
      await waitForReloads(g.page, i + 1)
      expect(await g.page.evaluate(() => (globalThis as Live).enemy.describe())).toBe(`${version}:42`)
    }
    expect(await g.page.evaluate(() => (globalThis as Live).enemy.hit())).toBe(10)
    // The server's state says `module`: the page never asks for a version as a function.
    expect(requests.functions).toEqual([])
    expect(requests.modules).toHaveLength(2)
  })
})

describe('after a page reload, a swap never runs a module the page already has a second time', () => {
  // Hud and Cannon import each other, as a game's systems do: when the dev server checks an edit of Hud,
  // Vite warms up Cannon (an import of Hud and one of its importers), and serves it again.
  const hud = (n: number) => `import { reloadable } from 'hotclass'
import { Cannon } from './Cannon.ts'
;(globalThis as any).hudRuns = ((globalThis as any).hudRuns ?? 0) + 1
@reloadable()
export class Hud {
  score(): string { return 'hud${n}' + (Cannon.name ? '' : '?') }
}
`
  const cannon = `import { Hud } from './Hud.ts'
export class Cannon {
  static hud(): string { return new Hud().score() }
}
`
  const aim = (n: number) => `import { reloadable } from 'hotclass'
import { Hud } from './Hud.ts'
@reloadable()
export class Aim {
  hud = new Hud()
  aim(): string { return 'aim${n}:' + this.hud.score() }
}
`
  const main = mainTs(
    `import { Aim } from './Aim.ts'\nimport { Cannon } from './Cannon.ts'\n;(globalThis as any).aimer = new Aim()\n;(globalThis as any).cannon = Cannon\n`,
  )
  let g: Game
  beforeAll(async () => {
    g = await startGame(browser(), 'evaluate-reload', {
      'main.ts': main,
      'Hud.ts': hud(1),
      'Cannon.ts': cannon,
      'Aim.ts': aim(1),
    })
  })
  afterAll(async () => {
    await g?.fx.close()
  })

  test('Hud swapped, the page reloaded, then Aim (which imports Hud) swapped: Hud ran once in that page', async () => {
    type W = typeof globalThis & { hudRuns: number; aimer: { aim(): string }; cannon: { hud(): string } }
    await g.fx.write('Hud.ts', hud(2))
    await waitForPending(g.page, 1)
    await g.page.keyboard.press('F5')
    await waitForReloads(g.page, 1)
    expect(await g.page.evaluate(() => (globalThis as W).aimer.aim())).toBe('aim1:hud2')

    await g.page.reload()
    await g.page.waitForFunction(
      () => (globalThis as GameWindow).gameReady === true && (globalThis as GameWindow).__HOTCLASS__?.connected,
    )
    expect(await g.page.evaluate(() => (globalThis as W).hudRuns)).toBe(1)
    await g.fx.write('Aim.ts', aim(2))
    await waitForPending(g.page, 1)
    await g.page.keyboard.press('F5')
    await waitForReloads(g.page, 1)
    expect(await g.page.evaluate(() => (globalThis as W).aimer.aim())).toBe('aim2:hud2')
    expect(await g.page.evaluate(() => (globalThis as W).cannon.hud())).toBe('hud2')
    expect(await g.page.evaluate(() => (globalThis as W).hudRuns)).toBe(1)
    // One URL for Hud.ts in this page's module map, whatever its importers were served with.
    const hudUrls = await g.page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((e) => e.name)
        .filter((n) => /\/Hud\.ts/.test(n) && !n.includes('/@hotclass/evaluable/')),
    )
    expect(new Set(hudUrls).size, hudUrls.join(' ')).toBe(1)
  })
})

describe('the first swap evaluated as a function reports only what was edited', () => {
  // The page loaded these modules as modules; the swap evaluates Tank.ts through Vite's module runner,
  // which reads imports as `__vite_ssr_import_0__.default` and the transform's own `__fn` under its name.
  const tween = 'export default { to(x: number): number { return x * 2 } }\n'
  const util = 'export function clamp(x: number): number { return Math.min(x, 9) }\n'
  const tank = (n: number) => `import { reloadable } from 'hotclass'
import tweens from './tween.ts'
import { clamp as limit } from './util.ts'
export function aimAt(x: number): number { return limit(tweens.to(x)) }
@reloadable()
export class Tank {
  speed = 1
  onHit = () => limit(this.speed)
  move(): number { return tweens.to(this.speed) }
  cap(): number { return limit(12) }
  fire(): string { return 'shell${n}' }
}
`
  const main = mainTs(`import { Tank } from './Tank.ts'\n;(globalThis as any).tank = new Tank()\n`)
  let g: Game
  beforeAll(async () => {
    g = await startGame(browser(), 'evaluate-report', {
      'main.ts': main,
      'tween.ts': tween,
      'util.ts': util,
      'Tank.ts': tank(1),
    })
  })
  afterAll(async () => {
    await g?.fx.close()
  })

  test('editing fire() reports fire, not the members that read imports or the arrow field', async () => {
    type W = typeof globalThis & { tank: { fire(): string; move(): number; cap(): number; onHit(): number } }
    await g.fx.write('Tank.ts', tank(2))
    await waitForPending(g.page, 1)
    await g.page.keyboard.press('F5')
    await waitForReloads(g.page, 1)
    expect(await g.page.evaluate(() => (globalThis as W).tank.fire())).toBe('shell2')
    expect(await g.page.evaluate(() => [(globalThis as W).tank.move(), (globalThis as W).tank.cap()])).toEqual([2, 9])
    const report = (await inspector(g.page)).lastReport as unknown as {
      classes: Array<{ name: string; added: string[]; removed: string[]; changed: string[] }>
      state?: Array<{ module: string; changed: string[] }>
    }
    const tankChange = report.classes.find((c) => c.name === 'Tank')
    expect(tankChange).toMatchObject({ added: [], removed: [], changed: ['fire'] })
    // The module's own function reads the same imports and was not edited either.
    expect(report.state?.find((m) => m.module === 'Tank.ts')?.changed ?? []).toEqual([])
  })
})
