import { createLogger } from 'vite'
import type { Logger } from 'vite'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { describeEnemy, mainTs, startGame } from './probe-harness.ts'
import { useChromium } from './chromium.ts'
import type { Game } from './probe-harness.ts'

/**
 * Decorators compile as the project's tsconfig says. The case that forced it: a pixi game with
 * `constructor(t: Match3Type)`, `Match3Type` a type alias imported by name. The plugin forced
 * `emitDecoratorMetadata`, the metadata kept the import, and the browser refused the module graph
 * ("does not provide an export named 'Match3Type'"): a blank page.
 */

const browser = useChromium()

// Records design:paramtypes where the test can read them (what reflect-metadata would store).
const metaTs = `;(Reflect as any).metadata = (key: string, value: unknown) => () => {
  if (key === 'design:paramtypes') (globalThis as any).paramtypes = value
}
`
const utilsTs = `export type Match3Type = 'red' | 'blue'
export class Grid { size = 8 }
export function injectable() { return (cls: unknown) => cls }
`
const enemyTs = `import { reloadable } from 'hotclass'
import { Match3Type, Grid, injectable } from './utils.ts'
@reloadable()
@injectable()
export class Enemy {
  hp = 10
  constructor(public type?: Match3Type, public grid?: Grid) {}
  describe(): string { return 'v1:' + this.hp }
}
`
const tsconfig = (options: Record<string, boolean>) =>
  JSON.stringify({ compilerOptions: { target: 'ES2022', ...options } })

function recordingLogger(): { logger: Logger; warnings: string[] } {
  const warnings: string[] = []
  const logger = createLogger('silent')
  logger.warn = (message) => void warnings.push(message)
  return { logger, warnings }
}

describe('emitDecoratorMetadata on: a type imported by name for a parameter type no longer blanks the page', () => {
  let g: Game
  beforeAll(async () => {
    g = await startGame(browser(), 'metadata-on', {
      'tsconfig.json': tsconfig({ experimentalDecorators: true, emitDecoratorMetadata: true }),
      'meta.ts': metaTs,
      'utils.ts': utilsTs,
      'Enemy.ts': enemyTs,
      'main.ts': mainTs().replace('import { Enemy }', "import './meta.ts'\nimport { Enemy }"),
    })
  })
  afterAll(async () => {
    await g?.fx.close()
  })

  test('the game runs; the type reads as Object and the class as itself, as TypeScript emits them', async () => {
    expect(await describeEnemy(g.page)).toBe('v1:42')
    const types = await g.page.evaluate(() =>
      ((globalThis as unknown as { paramtypes: Array<{ name: string }> }).paramtypes ?? []).map((t) => t.name),
    )
    expect(types).toEqual(['Object', 'Grid'])
  })
})

describe('emitDecoratorMetadata off: none is emitted, and a class a DI container would build is named once', () => {
  let g: Game
  const log = recordingLogger()
  beforeAll(async () => {
    g = await startGame(
      browser(),
      'metadata-off',
      {
        'tsconfig.json': tsconfig({}),
        'meta.ts': metaTs,
        'utils.ts': utilsTs,
        'Enemy.ts': enemyTs,
        'Boss.ts': enemyTs.replaceAll('Enemy', 'Boss'),
        'main.ts': mainTs("import './meta.ts'\nimport { Boss } from './Boss.ts'\nnew Boss()"),
      },
      {},
      { customLogger: log.logger, logLevel: 'warn' },
    )
  })
  afterAll(async () => {
    await g?.fx.close()
  })

  test('the game runs without metadata, and the terminal says once which line to add', async () => {
    expect(await describeEnemy(g.page)).toBe('v1:42')
    expect(await g.page.evaluate(() => (globalThis as unknown as { paramtypes?: unknown }).paramtypes)).toBeUndefined()
    const hints = log.warnings.filter((w) => w.includes('emitDecoratorMetadata'))
    expect(hints).toHaveLength(1)
    expect(hints[0]).toMatch(/(Enemy|Boss)\.ts: (Enemy|Boss) has typed constructor parameters/)
    expect(hints[0]).toContain('add "emitDecoratorMetadata": true to "compilerOptions" in tsconfig.json')
    const legacy = log.warnings.filter((w) => w.includes('experimentalDecorators'))
    expect(legacy).toHaveLength(1)
  })
})
