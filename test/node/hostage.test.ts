import { afterEach, describe, expect, test } from 'vitest'
import { createNodeHost } from '../../src/node/index.ts'
import type { HostEvent, NodeHost } from '../../src/node/index.ts'
import type { SwapReport } from '../../src/index.ts'
import { project, until } from './project.ts'
import type { Project } from './project.ts'

/** One broken file must not hold every other save hostage (issue 12). */

const cls = (name: string, label: string, top = '') => `import { reloadable } from 'hotclass'
${top}
@reloadable()
export class ${name} {
  label() { return '${label}' }
}
`

const main = `import { Enemy } from './enemy.ts'
import { Helper } from './helper.ts'
import { User } from './user.ts'
export const enemy = new Enemy()
export const helper = new Helper()
export const user = new User()
`

interface Live {
  enemy: { label(): string }
  helper: { label(): string }
  user: { label(): string }
}

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).toReversed()) await c()
})

async function setup(name: string): Promise<{ p: Project; host: NodeHost; live: Live; reports: SwapReport[] }> {
  const p = project(`hostage-${name}`)
  cleanups.push(() => p.cleanup())
  p.write('src/enemy.ts', cls('Enemy', 'e1'))
  p.write('src/helper.ts', cls('Helper', 'h1'))
  // user.ts imports helper.ts: its new version may use what only the new helper exports.
  p.write('src/user.ts', cls('User', 'u1', `import { Helper } from './helper.ts'\nvoid Helper`))
  p.write('src/main.ts', main)
  const host = await createNodeHost({ root: p.root, mode: 'probe' })
  cleanups.push(() => host.close())
  const reports: SwapReport[] = []
  host.onEvent((e: HostEvent) => e.type === 'report' && reports.push(e.report))
  const live = await host.run<Live>('src/main.ts')
  return { p, host, live, reports }
}

const broken = {
  'a syntax error': cls('Helper', 'h2').replace('label()', 'label( {'),
  'a throw at top level': cls('Helper', 'h2', `throw new Error('helper is broken')`),
}

describe('with one file broken, the others still apply', () => {
  test.each(Object.entries(broken))(
    '%s: the independent save applies in one transaction; the broken file and its importer stay pending',
    async (_kind, source) => {
      const { p, host, live, reports } = await setup(_kind.replace(/\W+/g, '-'))
      p.write('src/helper.ts', source)
      p.write('src/enemy.ts', cls('Enemy', 'e2'))
      p.write('src/user.ts', cls('User', 'u2', `import { Helper } from './helper.ts'\nvoid Helper`))
      await until('three pending files', () => host.pending.length === 3)

      const report = await host.apply()
      expect(report?.ok).toBe(true)
      expect(report?.modules).toEqual(['src/enemy.ts'])
      expect(live.enemy.label()).toBe('e2')
      expect(live.helper.label()).toBe('h1')
      expect(live.user.label()).toBe('u1')
      expect([...host.pending].toSorted()).toEqual(['src/helper.ts', 'src/user.ts'])
      // The broken file's own failure was reported, with its coded error.
      const failure = reports.find((r) => !r.ok)
      expect(failure?.error?.code).toBe('HOTCLASS_LOAD_FAILED')
      expect(failure?.error?.message).toMatch(/helper\.ts/)

      // Saving another file again does not retry the broken one until it is saved itself.
      const failuresBefore = reports.filter((r) => !r.ok).length
      p.write('src/enemy.ts', cls('Enemy', 'e3'))
      await until('enemy pending again', () => host.pending.includes('src/enemy.ts'))
      expect((await host.apply())?.modules).toEqual(['src/enemy.ts'])
      expect(reports.filter((r) => !r.ok)).toHaveLength(failuresBefore)

      // The fix applies with the importer that waited for it, in one transaction. Both files are still
      // pending, so what says the save was seen is a 'pending' event that names helper.ts after it.
      const pendingEvents: string[][] = []
      host.onEvent((e: HostEvent) => e.type === 'pending' && pendingEvents.push(e.files))
      p.write('src/helper.ts', cls('Helper', 'h3'))
      await until('helper saved again', () => pendingEvents.some((files) => files.includes('src/helper.ts')))
      const fixed = await host.apply()
      expect(fixed?.ok).toBe(true)
      expect(fixed?.modules.toSorted()).toEqual(['src/helper.ts', 'src/user.ts'])
      expect([live.helper.label(), live.user.label()]).toEqual(['h3', 'u2'])
      expect(host.pending).toEqual([])
    },
  )
})
