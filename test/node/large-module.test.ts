import { afterEach, describe, expect, test } from 'vitest'
import { createNodeHost } from '../../src/node/index.ts'
import type { NodeHost } from '../../src/node/index.ts'
import { DEFERRED_MAP_LIMIT } from '../../src/vite/deferred-maps.ts'
import { project } from './project.ts'
import type { Project } from './project.ts'

/**
 * A generated level module over the size where its source map is made after Vite's SSR transform
 * (deferred-maps.ts): `rows` methods of 60 numbers, then `fail()`, then `tail` lines of top-level code.
 * Returns the source and the 1-based line of each marked statement.
 */
function level(version: number, rows: number, tail: string[] = []): { source: string; line: (mark: string) => number } {
  const lines = [
    `import { reloadable } from 'hotclass'`,
    `@reloadable()`,
    `export class Level {`,
    `  version = ${version}`,
  ]
  for (let m = 0; m < rows; m++) {
    const row = Array.from({ length: 60 }, (_, i) => (m * 31 + i * 7 + version) % 10007).join(', ')
    lines.push(`  row${m}(): number[] {`, `    return [${row}]`, `  }`)
  }
  lines.push(`  fail(): never {`, `    throw new Error('boom ${version}') // fail`, `  }`, `}`, ...tail, '')
  const source = lines.join('\n')
  return { source, line: (mark) => lines.findIndex((l) => l.includes(mark)) + 1 }
}

const main = `import { Level } from './level.ts'\nexport const level = new Level()\n`

interface Live {
  version: number
  fail(): never
  row1(): number[]
}

let host: NodeHost | undefined
let p: Project | undefined
afterEach(async () => {
  await host?.close()
  p?.cleanup()
  host = undefined
  p = undefined
})

async function start(rows: number): Promise<{ live: Live; file: string }> {
  p = project('large-module')
  p.write('src/level.ts', level(0, rows).source)
  p.write('src/main.ts', main)
  host = await createNodeHost({ root: p.root, watch: false })
  const live = (await host.run<{ level: Live }>('src/main.ts')).level
  return { live, file: p.path('src/level.ts') }
}

/**
 * The stack of what `fn` throws, as Node prints it with the host's source maps: vitest puts its own
 * `Error.prepareStackTrace` in place, which would format the stack instead (without them).
 */
function thrown(fn: () => unknown): { message: string; stack: string } {
  return withNodeStacks(() => {
    try {
      fn()
    } catch (error) {
      return { message: (error as Error).message, stack: String((error as Error).stack) }
    }
    throw new Error('expected a throw')
  })
}

function withNodeStacks<T>(fn: () => T): T {
  const vitests = Object.getOwnPropertyDescriptor(Error, 'prepareStackTrace')
  Reflect.deleteProperty(Error, 'prepareStackTrace')
  const restore = () => vitests && Object.defineProperty(Error, 'prepareStackTrace', vitests)
  try {
    const out = fn()
    if (out instanceof Promise) return out.finally(restore) as T
    restore()
    return out
  } catch (error) {
    restore()
    throw error
  }
}

describe('a huge module swaps with a source map exact to the line', () => {
  test('a method of the swapped version throws with its own file and line', async () => {
    const { live, file } = await start(2200)
    // More rows before fail(): the throw moves 300 lines down, so an unmapped or stale map shows.
    const v1 = level(1, 2300)
    expect(v1.source.length).toBeGreaterThan(DEFERRED_MAP_LIMIT)
    p!.write('src/level.ts', v1.source)
    const report = await host!.hotswap(file)
    expect(report.ok).toBe(true)
    expect(live.row1()[0]).toBe((31 + 1) % 10007)
    const error = thrown(() => live.fail())
    expect(error.message).toBe('boom 1')
    expect(error.stack).toContain(`${file}:${v1.line('// fail')}:`)
  })

  test('an error while the new version evaluates is reported with the file and its line', async () => {
    const { live, file } = await start(2200)
    const broken = level(1, 2200, [
      `const data: number[] = []`,
      `if (data.length === 0) throw new Error('no level data') // top`,
    ])
    p!.write('src/level.ts', broken.source)
    // The core reads the line from the stack of the error the evaluation threw.
    const report = await withNodeStacks(() => host!.hotswap(file))
    expect(report.ok).toBe(false)
    expect(report.error?.message).toContain('no level data')
    expect(report.error?.file).toContain('level.ts')
    expect(report.error?.line).toBe(broken.line('// top'))
    expect(live.version).toBe(0)
  })
})
