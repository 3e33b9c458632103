import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build, transformWithOxc } from 'vite'
import type { Rolldown } from 'vite'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { hotclass } from '../../src/vite/index.ts'
import { runTransform } from '../../src/vite/transform/index.ts'

const dir = join(process.cwd(), 'test/.tmp', `continuity-build-${process.pid}`)

/** A module using every continuity mechanism: kept state, a cell, exports, functions, data, once/dispose, fields. */
const game = `import { reloadable, once, dispose } from 'hotclass'
const enemies: Enemy[] = []
let spawned = 0
export let score = 0
export const tuning = { speed: 3 }
export function spawn(): Enemy { const e = new Enemy(); enemies.push(e); spawned++; score += e.shield; return e }
@reloadable()
export class Enemy { hp = 10; shield = this.hp * 2 }
const log: string[] = []
once(() => { log.push('once'); return () => log.push('disposed') })
dispose(() => log.push('dispose'))
export function result() { return { spawned, score, enemies: enemies.length, speed: tuning.speed, log } }
`
const main = `import { spawn, result } from './game.ts'\nspawn(); spawn()\n;(globalThis as any).continuityResult = result()\n`

/** What only the continuity transform writes into a module. */
const markers = ['__module', '__hcm', '.keep(', '.mirror(', '.cell(', 'fields:', 'module:', 'Reflect.construct']

let bundle = ''
beforeAll(async () => {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'index.html'), `<!doctype html><script type="module" src="/main.ts"></script>`)
  writeFileSync(join(dir, 'game.ts'), game)
  writeFileSync(join(dir, 'main.ts'), main)
  const out = await build({
    configFile: false,
    root: dir,
    logLevel: 'silent',
    plugins: [hotclass()],
    build: { write: false, minify: false, modulePreload: false },
  })
  const outputs = (Array.isArray(out) ? out : [out]) as Rolldown.RolldownOutput[]
  bundle = outputs
    .flatMap((o) => o.output)
    .filter((c): c is Rolldown.OutputChunk => c.type === 'chunk')
    .map((c) => c.code)
    .join('\n')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('vite build: nothing the continuity transform adds is in the output', () => {
  test('the dev transform of the same module writes every marker, the build has none', async () => {
    const { code } = await transformWithOxc(game, 'game.ts', {
      decorator: { legacy: true, emitDecoratorMetadata: true },
    })
    const dev = runTransform('game.ts', code)!.code
    for (const marker of markers) expect(dev, marker).toContain(marker)
    for (const marker of markers) expect(bundle, marker).not.toContain(marker)
  })

  test('the built game runs: once() runs its set-up, state and fields behave as plain code', async () => {
    // Outside the project root, where the hotclass plugin of this test run does not transform it.
    const outside = mkdtempSync(join(tmpdir(), 'hotclass-build-'))
    const file = join(outside, 'bundle.mjs')
    writeFileSync(file, bundle)
    await import(/* @vite-ignore */ pathToFileURL(file).href)
    rmSync(outside, { recursive: true, force: true })
    const result = (globalThis as { continuityResult?: unknown }).continuityResult
    expect(result).toEqual({ spawned: 2, score: 40, enemies: 2, speed: 3, log: ['once'] })
  })
})
