import { afterAll, describe, expect, test } from 'vitest'
import { ErrorCodes, hotswap, reloadable } from '../../src/index.ts'
import { scenario } from '../helpers/scenario.ts'

const s = scenario('errors')
afterAll(() => s.cleanup())

describe('bad input gets a coded error and changes nothing', () => {
  test('a module outside the project root is refused', async () => {
    const report = await hotswap('/etc/hosts.ts')
    expect(report.ok).toBe(false)
    expect(report.error!.code).toBe(ErrorCodes.OUTSIDE_ROOT)
    const escaped = await hotswap('../outside/thing.ts')
    expect(escaped.error!.code).toBe(ErrorCodes.OUTSIDE_ROOT)
  })

  test('a module that does not exist is reported as such', async () => {
    const report = await hotswap('./test/.tmp/no-such-module.ts')
    expect(report.ok).toBe(false)
    expect(report.error!.code).toBe(ErrorCodes.MODULE_NOT_FOUND)
    expect(report.error!.hint).toMatch(/path/)
  })

  test('hotswap throws only for misuse: a specifier that is not a string or URL', () => {
    expect(() => hotswap(42 as never)).toThrow(TypeError)
    try {
      hotswap({} as never)
    } catch (err) {
      expect((err as { code: string }).code).toBe(ErrorCodes.BAD_ARGUMENT)
    }
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
