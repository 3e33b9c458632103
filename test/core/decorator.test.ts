import { afterEach, describe, expect, test } from 'vitest'
import { classInfo, reloadable } from '../../src/index.ts'

const savedEnv = process.env['NODE_ENV']
afterEach(() => {
  if (savedEnv === undefined) delete process.env['NODE_ENV']
  else process.env['NODE_ENV'] = savedEnv
})

describe('the decorator call forms', () => {
  test('the TC39 form (value, context) registers and returns the canonical class', () => {
    class Tc39Probe {
      ping(): string {
        return 'pong'
      }
    }
    const inits: Array<() => void> = []
    const canonical = reloadable({ id: 'decorator/Tc39Probe' })(Tc39Probe, {
      kind: 'class',
      name: 'Tc39Probe',
      addInitializer: (f) => void inits.push(f as () => void),
    })
    expect(canonical).not.toBe(Tc39Probe)
    expect(canonical.name).toBe('Tc39Probe')
    expect(new canonical().ping()).toBe('pong')
    expect(classInfo(canonical)?.id).toBe('decorator/Tc39Probe')
  })

  test('the TC39 form refuses to decorate anything but a class', () => {
    expect(() =>
      reloadable()(
        class Probe {
          x = 1
        },
        { kind: 'method' as 'class', name: 'm' },
      ),
    ).toThrow(/decorate a class/)
  })
})

describe('production builds', () => {
  test('with NODE_ENV=production the decorator returns the class untouched and registers nothing', () => {
    process.env['NODE_ENV'] = 'production'
    class ProdOnly {
      kind = 'prod'
    }
    const result = reloadable()(ProdOnly)
    expect(result).toBe(ProdOnly)
    expect(classInfo(result)).toBeUndefined()
  })
})
