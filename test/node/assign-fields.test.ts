import { afterAll, describe, expect, test } from 'vitest'
import { createNodeHost } from '../../src/node/index.ts'
import { project } from './project.ts'

/**
 * `useDefineForClassFields: false` (Colyseus and most legacy-decorator projects): fields compile to
 * constructor assignments, where nothing tells them from the constructor's own code. The plugin reads
 * them from the module lowered with define semantics, so a field a new version adds still reaches live
 * instances as an own property, and the report names it.
 */

const p = project('assign-fields')
afterAll(() => p.cleanup())

const unit = (fields: string) => `
import { reloadable } from 'hotclass'
@reloadable()
export class Unit {
  hp = 10
  label!: string
  ${fields}
  hit(): number { return this.hp }
}
export const unit = new Unit()`

describe('fields under useDefineForClassFields: false', () => {
  test('an added field becomes an own property of the live instance; an undeclared one does not appear', async () => {
    p.write(
      'tsconfig.json',
      JSON.stringify({
        compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false, target: 'ES2022' },
      }),
    )
    p.write('src/unit.ts', unit(''))
    const host = await createNodeHost({ root: p.root, watch: false })
    try {
      const live = await host.run<{ unit: Record<string, unknown> }>('src/unit.ts')
      const u = live.unit
      expect(Object.keys(u)).toEqual(['hp'])
      p.write('src/unit.ts', unit('shield = this.hp * 2'))
      const report = await host.hotswap('src/unit.ts')
      expect(report.ok, report.error?.message).toBe(true)
      expect(report.classes[0]!.added).toContain('field shield')
      expect(Object.keys(u)).toEqual(['hp', 'shield'])
      expect(u['shield']).toBe(20)
    } finally {
      await host.close()
    }
  })
})
