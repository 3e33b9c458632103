import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { harness } from './harness.ts'
import type { Harness } from './harness.ts'

let h: Harness
beforeAll(async () => {
  h = await harness('state')
})
afterAll(() => h.close())

const game = (step: number, extra = '') => `
import { reloadable } from 'hotclass'
const enemies: Enemy[] = []
let spawned = 0
${extra}
@reloadable()
export class Enemy {
  hp = 10
  static spawn(): Enemy { const e = new Enemy(); enemies.push(e); spawned += ${step}; return e }
  static count(): number { return spawned }
  static all(): Enemy[] { return enemies }
}
export function spawnedSoFar(): number { return spawned }
export function reset(): void { spawned = 0 }
`

const tuningModule = (decls: string) =>
  `${decls}\nexport function read() { return { speed, level: typeof level === 'undefined' ? undefined : level } }`

const gridModule = (size: number) =>
  `const SIZE = ${size}\nconst grid = new Array(SIZE).fill(0)\nexport function cells() { return grid.length }`

const destructureModule = (w: number) =>
  `const { w, h: [hh] } = { w: ${w}, h: [2] }\nexport function size() { return w * hh }`

const configModule = (max: number, by: number) =>
  `export const MAX = ${max}\nexport let score = 0\nexport function add() { score += ${by} }`

const fragileModule = (body: string, tail = '') =>
  `export let count = 1\nlet hidden = 'v1'\nexport function step() { count++; return ${body} }\nexport function peek() { return hidden }\n${tail}`

describe('module-level state: unchanged declarations keep their value across a swap', () => {
  test('a const array and a reassigned let keep their values; old and new code share the cell both ways', async () => {
    h.write('game.ts', game(1))
    const { Enemy, spawnedSoFar, reset } = await h.load('game.ts')
    Enemy.spawn()
    Enemy.spawn()
    const list = Enemy.all()
    const report = await h.swap('game.ts', game(10))
    expect(report.ok).toBe(true)
    expect(Enemy.all()).toBe(list)
    expect(Enemy.count()).toBe(2)
    Enemy.spawn()
    expect(Enemy.count()).toBe(12)
    expect(list).toHaveLength(3)
    // Functions captured from version 1 run version 2's body, which reads and writes the same cell.
    expect(spawnedSoFar()).toBe(12)
    reset()
    expect(Enemy.count()).toBe(0)
  })
})

describe('module-level state: edited declarations re-initialise, new ones initialise, removed ones are reported', () => {
  test('edit, add and remove', async () => {
    h.write('tuning.ts', tuningModule(`let speed = 3\nconst old = 'x'\nexport function bump() { speed++ }`))
    const { read, bump } = await h.load('tuning.ts')
    bump()
    expect(read().speed).toBe(4)
    await h.swap('tuning.ts', tuningModule(`let speed = 3\nconst level = 7\nexport function bump() { speed++ }`))
    expect(read()).toEqual({ speed: 4, level: 7 })
    await h.swap('tuning.ts', tuningModule(`let speed = 5\nconst level = 7\nexport function bump() { speed++ }`))
    expect(read()).toEqual({ speed: 5, level: 7 })
    const info = h.core.inspectModules().find((m) => m.id.endsWith('tuning.ts'))!
    expect(info.lastChange.changed).toEqual(['speed'])
    expect(info.lastChange.kept).toEqual(['level'])
    const before = h.core.inspectModules().find((m) => m.id.endsWith('tuning.ts'))!
    expect(before.version).toBe(3)
  })

  test('a removed declaration is reported in inspectModules', async () => {
    h.write('removed.ts', `const a = 1\nconst b = 2\nexport function sum() { return a + b }`)
    await h.load('removed.ts')
    await h.swap('removed.ts', `const a = 1\nexport function sum() { return a }`)
    const info = h.core.inspectModules().find((m) => m.id.endsWith('removed.ts'))!
    expect(info.lastChange.removed).toEqual(['b'])
    expect(info.bindings).toEqual({ a: 1 })
  })

  test('the swap report says what each module did to its state', async () => {
    h.write('reported.ts', `const a = 1\nlet b = 2\nexport function sum() { return a + b }`)
    await h.load('reported.ts')
    const report = await h.swap('reported.ts', `const a = 5\nconst c = 3\nexport function sum() { return a + c }`)
    expect(report.ok).toBe(true)
    const state = report.state?.find((m) => m.module.endsWith('reported.ts'))
    expect(state).toMatchObject({ added: ['c'], removed: ['b'], changed: expect.arrayContaining(['a', 'sum']) })
  })

  test('a declaration whose initialiser reads an edited binding is re-initialised too', async () => {
    h.write('grid.ts', gridModule(4))
    const { cells } = await h.load('grid.ts')
    expect(cells()).toBe(4)
    await h.swap('grid.ts', gridModule(6))
    expect(cells()).toBe(6)
  })

  test('destructured declarations are kept and re-initialised as one', async () => {
    h.write('destructure.ts', destructureModule(3))
    const { size } = await h.load('destructure.ts')
    expect(size()).toBe(6)
    await h.swap('destructure.ts', `${destructureModule(3)}\nexport const extra = 1`)
    expect(size()).toBe(6)
    await h.swap('destructure.ts', destructureModule(5))
    expect(size()).toBe(10)
  })
})

describe('module-level state: exported bindings stay live in importers that are not re-run', () => {
  test('an edited exported constant and a let written by new code reach an importer of the first version', async () => {
    h.write('config.ts', configModule(5, 1))
    h.write(
      'hud.ts',
      `import { MAX, score } from './config.ts'\nexport function show() { return \`\${score}/\${MAX}\` }`,
    )
    const { show } = await h.load('hud.ts')
    const { add } = await h.load('config.ts')
    add()
    expect(show()).toBe('1/5')
    const report = await h.swap('config.ts', configModule(10, 100))
    expect(report.ok).toBe(true)
    expect(show()).toBe('1/10')
    add()
    expect(show()).toBe('101/10')
  })
})

describe('module-level state: a failed swap leaves the old version exactly as it was', () => {
  test('cells, functions and exports written by the failed version are restored', async () => {
    h.write('fragile.ts', fragileModule(`'v1'`))
    const mod = await h.load('fragile.ts')
    mod.step()
    const report = await h.swap(
      'fragile.ts',
      fragileModule(`'v2'`, `export const broken = 1\ncount = 50\nhidden = 'v2'\nthrow new Error('boom at load')`),
    )
    expect(report.ok).toBe(false)
    expect(report.error?.code).toBe('HOTCLASS_LOAD_FAILED')
    expect(mod.count).toBe(2)
    expect(mod.peek()).toBe('v1')
    expect(mod.step()).toBe('v1')
    expect(mod.count).toBe(3)
    // The next good version starts from the restored state.
    expect((await h.swap('fragile.ts', fragileModule(`'v3'`))).ok).toBe(true)
    expect(mod.step()).toBe('v3')
    expect(mod.count).toBe(4)
  })
})
