import { describe, expect, test } from 'vitest'
import { changedClasses, formatReport } from '../../src/index.ts'
import type { ClassChange, SwapReport } from '../../src/index.ts'

/** What the adapters print of a report: the classes that changed something, not every class the swap touched. */

const change = (name: string, over: Partial<ClassChange> = {}): ClassChange => ({
  id: name,
  name,
  added: [],
  removed: [],
  changed: [],
  baseChanged: false,
  isNew: false,
  isRemoved: false,
  warnings: [],
  ...over,
})
const report = (classes: ClassChange[]): SwapReport => ({
  ok: true,
  modules: ['a.ts', 'b.ts'],
  classes,
  durationMs: 1.24,
  patchMs: 0.3,
  kind: 'swap',
})

describe('reports: only classes that changed something are shown', () => {
  test('a class with no member added, removed or changed and no warning is left out of the line', () => {
    const r = report([change('Idle'), change('Enemy', { changed: ['update'] }), change('Other')])
    expect(formatReport(r)).toBe('swapped Enemy (+0 -0 ~1) in 1.2 ms')
    expect(changedClasses(r).map((c) => c.name)).toEqual(['Enemy'])
    // The report itself keeps them all, for inspect() and onSwap listeners.
    expect(r.classes).toHaveLength(3)
  })

  test('new classes, a new base and warnings count as changes', () => {
    const r = report([
      change('Fresh', { isNew: true }),
      change('Moved', { baseChanged: true }),
      change('Warned', { warnings: ['arrow field'] }),
      change('Same'),
    ])
    expect(changedClasses(r).map((c) => c.name)).toEqual(['Fresh', 'Moved', 'Warned'])
    expect(formatReport(r)).toBe('swapped Fresh (new), Moved (+0 -0 ~0), Warned (+0 -0 ~0) in 1.2 ms')
  })

  test('when no class changed, the modules are named instead', () => {
    expect(formatReport(report([change('Idle')]))).toBe('swapped a.ts, b.ts (no class changed) in 1.2 ms')
  })
})
