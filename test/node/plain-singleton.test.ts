import { afterAll, describe, expect, test } from 'vitest'
import { createNodeHost } from '../../src/node/index.ts'
import { project } from './project.ts'

/**
 * Found on pixijs/open-games puzzling-potions, `src/utils/navigation.ts`: a plain (not reloadable) class
 * and its singleton, `export const navigation = new Navigation()`, which holds the game's current screen.
 * Editing one method of `Navigation` swapped "ok" and re-created `navigation` (its initialiser reads the
 * edited class), so importers got an empty navigator: the next `showScreen` stacked the new screen over
 * the old one, which was never removed. docs/pixi.md: "a top-level declaration whose text is unchanged
 * keeps its value when its module is swapped". With a reloadable class the singleton keeps its state and
 * runs the new code; with a plain one it is made again, and the swap says what it threw away and how to
 * keep it.
 */

const nav = (body: string, decorate = '') => `
${decorate ? "import { reloadable } from 'hotclass'" : ''}
${decorate}
export class Navigation {
  current: string | undefined = undefined
  show(name: string): string { ${body} }
}
export const navigation = new Navigation()`

describe.each(['', '@reloadable()'])('a module singleton of an edited class %s', (decorate) => {
  const p = project(`plain-singleton${decorate ? '-reloadable' : ''}`)
  afterAll(() => p.cleanup())
  test('keeps its state, or the report says it was re-created', async () => {
    p.write('src/nav.ts', nav(`const was = this.current; this.current = name; return 'v1:' + was`, decorate))
    p.write('src/main.ts', `import { navigation } from './nav.ts'\nexport const live = () => navigation\n`)
    const host = await createNodeHost({ root: p.root, watch: false })
    try {
      const main = await host.run<{ live(): { show(n: string): string; current?: string } }>('src/main.ts')
      expect(main.live().show('home')).toBe('v1:undefined')
      p.write('src/nav.ts', nav(`const was = this.current; this.current = name; return 'v2:' + was`, decorate))
      const report = await host.hotswap('src/nav.ts')
      expect(report.ok, report.error?.message).toBe(true)
      const recreated = main.live().current !== 'home'
      const warnings = [
        ...report.classes.flatMap((c) => c.warnings),
        ...(report.state ?? []).flatMap((s) => s.warnings),
      ]
      const warned = warnings.some((w) => /navigation was made again because Navigation changed/.test(w))
      // A reloadable class keeps the object and patches it; a plain one's singleton is made again, and the
      // report says so and names the fix.
      expect(recreated).toBe(!decorate)
      expect(warned, JSON.stringify(report.state)).toBe(!decorate)
      if (!decorate) expect(warnings.join('\n')).toMatch(/mark Navigation @reloadable\(\)/)
      expect(main.live().show('game')).toBe(decorate ? 'v2:home' : 'v2:undefined')
    } finally {
      await host.close()
    }
  })
})
