import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { afterAll, describe, expect, test } from 'vitest'
import { createNodeHost } from '../../src/node/index.ts'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

const dir = join(process.cwd(), 'test/.tmp', `continuity-memory-${process.pid}`)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/**
 * A module with every kind of state the transform keeps across versions: an exported constant (mirrored
 * into each version), a function (stable wrapper), a cell written by it. A nested `var` is left alone
 * by the transform and read by a function, so it lives exactly as long as its version's module scope
 * (any closure of the version holds that scope): a WeakRef to it counts the versions still reachable.
 */
const lib = (v: number) => `
export const LIMIT = ${v}
let calls = 0
export let last = 0
export function work(): number { calls++; last = ${v}; return [${Array.from({ length: 500 }, (_, i) => i + v).join(',')}].length + LIMIT + calls }
if (LIMIT >= 0) {
  var scope = { version: ${v} }
  ;((globalThis as any).continuityScopes ??= []).push(new WeakRef(scope))
}
export function version() { return scope.version }
`

describe('memory: old versions of a module stay collectable', () => {
  test('after 40 swaps in the Node host only a few versions are reachable', async () => {
    mkdirSync(join(dir, 'src'), { recursive: true })
    writeFileSync(join(dir, 'src/lib.ts'), lib(0))
    writeFileSync(
      join(dir, 'src/main.ts'),
      `import { work, LIMIT, last } from './lib.ts'\nexport const run = () => [work(), LIMIT, last]\n`,
    )
    const host = await createNodeHost({ root: dir, watch: false })
    // rollback() may restore the last `historyLimit` versions' function bodies, so those stay reachable.
    const historyLimit = 3
    host.core.configure({ historyLimit })
    try {
      const { run } = await host.run<{ run: () => number[] }>('src/main.ts')
      expect(run()).toEqual([501, 0, 0])
      for (let v = 1; v <= 40; v++) {
        writeFileSync(join(dir, 'src/lib.ts'), lib(v))
        const report = await host.hotswap('src/lib.ts')
        expect(report.ok, report.error?.message).toBe(true)
      }
      // main.ts holds the first version's bindings: they follow the newest code and values.
      expect(run()).toEqual([500 + 40 + 2, 40, 40])
      for (let i = 0; i < 4; i++) {
        gc()
        await new Promise((r) => setImmediate(r))
      }
      const scopes = (globalThis as { continuityScopes?: Array<WeakRef<object>> }).continuityScopes!
      expect(scopes).toHaveLength(41)
      const alive = scopes.filter((ref) => ref.deref() !== undefined).length
      // The first version (main.ts imports it), the newest and the rollback history; nothing else of the 39 in between.
      expect(alive).toBeLessThanOrEqual(historyLimit + 2)
      // What is reachable still works: the first version's exports follow a swap made after the collection.
      writeFileSync(join(dir, 'src/lib.ts'), lib(41))
      expect((await host.hotswap('src/lib.ts')).ok).toBe(true)
      expect(run()).toEqual([500 + 41 + 3, 41, 41])
    } finally {
      await host.close()
    }
  })
})
