import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'vite'
import type { Rolldown } from 'vite'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { hotclass } from '../../src/vite/index.ts'

/**
 * `vite build` of a small game with and without the plugin: with it the decorator is the identity and
 * no hot-swap runtime ships. Prints both sizes (the figure the issue asks for).
 */

const repo = resolve(import.meta.dirname, '../..')
const dir = join(repo, 'test/.tmp', `build-${process.pid}-${Date.now()}`)

const files: Record<string, string> = {
  'index.html': `<!doctype html><html><body><script type="module" src="/main.ts"></script></body></html>`,
  'Enemy.ts': `import { reloadable } from 'hotclass'
@reloadable()
export class Enemy {
  hp = 10
  hit(n: number): number { return (this.hp -= n) }
}
`,
  'main.ts': `import { installProbe, onReload } from 'hotclass/client'
import { Enemy } from './Enemy.ts'
installProbe()
onReload((r) => console.log(r.ok))
const e = new Enemy()
document.body.textContent = String(e.hit(3))
`,
}

/** Strings only the hot-swap runtime contains: registry keys, error codes, protocol events, core names. */
const runtimeMarkers = ['HOTCLASS_', 'hotclass:', 'swapModules', 'Reflect.construct', 'ScrubClass', '__HOTCLASS__']

interface Built {
  code: string
  bytes: number
  gzip: number
}

async function buildFixture(withPlugin: boolean, root = dir): Promise<Built> {
  const out = await build({
    configFile: false,
    root,
    logLevel: 'silent',
    plugins: withPlugin ? [hotclass()] : [],
    oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
    // Without the plugin, 'hotclass' has to be pointed at the package by hand: the real runtime.
    resolve: withPlugin
      ? {}
      : {
          alias: [
            { find: /^hotclass$/, replacement: join(repo, 'src/index.ts') },
            { find: /^hotclass\/client$/, replacement: join(repo, 'src/client/index.ts') },
          ],
        },
    build: { write: false, minify: true, modulePreload: false },
  })
  const outputs = (Array.isArray(out) ? out : [out]) as Rolldown.RolldownOutput[]
  const code = outputs
    .flatMap((o) => o.output)
    .filter((c): c is Rolldown.OutputChunk => c.type === 'chunk')
    .map((c) => c.code)
    .join('\n')
  return { code, bytes: Buffer.byteLength(code), gzip: gzipSync(code).length }
}

let withPlugin: Built
let without: Built
let plain: Built

beforeAll(async () => {
  mkdirSync(dir, { recursive: true })
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text)
  withPlugin = await buildFixture(true)
  without = await buildFixture(false)
  // The same game with no decorator and no hotclass import at all: what the plugin's build costs on top.
  const plainDir = join(dir, 'plain')
  mkdirSync(plainDir)
  for (const [file, text] of Object.entries(files)) {
    const stripped = text
      .replace(/^import .* from 'hotclass(\/client)?'\n/gm, '')
      .replace(/^@reloadable\(\)\n/m, '')
      .replace(/^(installProbe|onReload)\(.*\n/gm, '')
    writeFileSync(join(plainDir, file), stripped)
  }
  plain = await buildFixture(false, plainDir)
  console.log(
    `[figure] production bundle of the fixture game: with the plugin ${withPlugin.bytes} B (${withPlugin.gzip} B gzip), ` +
      `without it ${without.bytes} B (${without.gzip} B gzip); the same game with no decorator ${plain.bytes} B ` +
      `(${plain.gzip} B gzip)`,
  )
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('vite build with the plugin ships no hot-swap runtime', () => {
  test('none of the runtime strings are in the bundle', () => {
    for (const marker of runtimeMarkers) expect(withPlugin.code, marker).not.toContain(marker)
  })

  test("what remains over an undecorated build is the identity decorator and Oxc's decorate helper", () => {
    expect(plain.code).not.toContain('Reflect.decorate')
    expect(withPlugin.bytes - plain.bytes).toBeLessThan(600)
  })

  test('the game code still runs its decorated class', () => {
    expect(withPlugin.code).toMatch(/hit\(\w+\)\s*\{\s*return this\.hp-=\w+\}/)
  })

  test('without the plugin the same game ships the runtime, so the check above can fail', () => {
    expect(runtimeMarkers.some((m) => without.code.includes(m))).toBe(true)
    expect(withPlugin.bytes).toBeLessThan(without.bytes)
  })
})
