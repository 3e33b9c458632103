import { afterAll, describe, expect, test } from 'vitest'
import { ErrorCodes, hotswap, inspect, reloadable } from '../../src/index.ts'
import { scenario } from '../helpers/scenario.ts'

const s = scenario('errors')
afterAll(() => s.cleanup())

/** What a refused swap must leave alone: the committed swaps, the undo history, the classes. */
const state = () => {
  const view = inspect()
  return { swaps: view.swapCount, history: view.history.length, classes: view.classes.map((c) => [c.id, c.version]) }
}

describe('bad input gets a coded error and changes nothing', () => {
  test('a module outside the project root is refused', async () => {
    const before = state()
    const report = await hotswap('/etc/hosts.ts')
    expect(report.ok).toBe(false)
    expect(report.error!.code).toBe(ErrorCodes.OUTSIDE_ROOT)
    expect(report.error!.hint).toMatch(/project root/)
    const escaped = await hotswap('../outside/thing.ts')
    expect(escaped.ok).toBe(false)
    expect(escaped.error!.code).toBe(ErrorCodes.OUTSIDE_ROOT)
    expect(state()).toEqual(before)
  })

  test('a module that does not exist is reported as such', async () => {
    const before = state()
    const report = await hotswap('./test/.tmp/no-such-module.ts')
    expect(report.ok).toBe(false)
    expect(report.error!.code).toBe(ErrorCodes.MODULE_NOT_FOUND)
    expect(report.error!.hint).toMatch(/path/)
    expect(state()).toEqual(before)
  })

  test('hotswap throws only for misuse: a specifier that is not a string or URL', () => {
    expect(() => hotswap(42 as never)).toThrow(TypeError)
    expect(() => hotswap({} as never)).toThrow(expect.objectContaining({ code: ErrorCodes.BAD_ARGUMENT }))
  })

  test('reloadable rejects options that are not an object and targets that are not classes', () => {
    expect(() => reloadable('x' as never)).toThrow(/options object/)
    expect(() => reloadable()(42 as never)).toThrow(/a class/)
  })

  test('two different classes sharing a name and no module id are refused, not merged', async () => {
    // The hotclass Vite plugin (which vitest runs) gives classes their module id when the decorator is
    // imported from the core entry; importing it through a re-export is how code ends up without one.
    s.write('rl.ts', `export { reloadable } from 'HOTCLASS'`)
    s.write('a.ts', `import { reloadable } from './rl.ts'\n@reloadable() export class SameName { a() { return 1 } }`)
    s.write('b.ts', `import { reloadable } from './rl.ts'\n@reloadable() export class SameName { b() { return 2 } }`)
    const { SameName } = await s.load<any>('a.ts')
    await expect(s.load('b.ts')).rejects.toMatchObject({ code: ErrorCodes.DUPLICATE_KEY })
    expect(new SameName().a()).toBe(1)
  })

  test('a module with no reloadable classes swaps as an empty, successful report', async () => {
    s.write('plain.ts', `export const x = 1`)
    await s.load('plain.ts')
    const report = await hotswap(s.path('plain.ts'))
    expect(report.ok).toBe(true)
    expect(report.classes).toEqual([])
  })
})
