import { describe, expect, test } from 'vitest'
import * as devCore from '../../src/index.ts'
import * as prodCore from '../../src/prod.ts'

/**
 * The client entries are browser code, type-checked with the DOM lib (tsconfig.json); loading them by a
 * computed path keeps this Node-side test's type check (tsconfig.node.json) out of them.
 */
type ClientApi = Record<string, (...args: never[]) => unknown>
const loadClient = (file: string): Promise<ClientApi> => import(/* @vite-ignore */ `../../src/client/${file}`)

/** The production stand-ins `vite build` resolves `hotclass` and `hotclass/client` to. */

describe('production entries: the same names as development, doing nothing', () => {
  test('hotclass in a build exports every name the development entry does', () => {
    expect(Object.keys(prodCore).toSorted()).toEqual(Object.keys(devCore).toSorted())
  })

  test('hotclass/client in a build exports every name the development client does', async () => {
    // Loaded here, not at the top: the development client connects and publishes __HOTCLASS__ on import.
    const devClient = await loadClient('index.ts')
    const prodClient = await loadClient('prod.ts')
    expect(Object.keys(prodClient).toSorted()).toEqual(Object.keys(devClient).toSorted())
  })

  test('the decorator returns the class itself and registers nothing', () => {
    class Enemy {
      hp = 1
    }
    expect(prodCore.reloadable()(Enemy)).toBe(Enemy)
    expect(prodCore.reloadable({ id: 'x' }, { module: 'm.ts' })(Enemy, { kind: 'class', name: 'Enemy' })).toBe(Enemy)
    expect(prodCore.inspect().classes).toEqual([])
  })

  test('the client functions are inert and a reload reports that nothing was swapped', async () => {
    const prodClient = await loadClient('prod.ts')
    const off = prodClient['installProbe']!() as () => void
    off()
    expect(prodClient['probeReload']!(true as never)).toBeUndefined()
    expect(await prodClient['doReload']!()).toMatchObject({ ok: true, modules: [], classes: [] })
  })
})
