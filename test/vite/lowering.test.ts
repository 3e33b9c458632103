import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createServer } from 'vite'
import type { Plugin } from 'vite'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { definesClassFields, lowerModule, resolveHelper } from '../../src/vite/lowering.ts'
import { metadataSafeImports } from '../../src/vite/metadata-imports.ts'
import { hotclass } from '../../src/vite/plugin.ts'
import { TsconfigReader } from '../../src/vite/tsconfig.ts'
import type { ClassCompileOptions } from '../../src/vite/tsconfig.ts'

/** The plugin's own TypeScript lowering: the same shape on Vite 7 and 8, options from the project's tsconfig. */

const enemy = `import { reloadable } from 'hotclass'
import { Match3Type, Other as O } from './utils'
import Grid from './grid'
@reloadable()
export class Enemy {
  constructor(t: Match3Type, o: O, g: Grid) { console.log(O) }
}
`
const options = (over: Partial<ClassCompileOptions> = {}): ClassCompileOptions => ({
  experimentalDecorators: true,
  emitDecoratorMetadata: undefined,
  useDefineForClassFields: undefined,
  target: undefined,
  file: 'tsconfig.json',
  ...over,
})

describe('lowering: legacy decorators to the one shape the transform reads', () => {
  test('without emitDecoratorMetadata in the tsconfig, no metadata and no import kept for a type', () => {
    const { code } = lowerModule('/p/Enemy.ts', enemy, options())
    expect(code).toMatch(/Enemy = _decorate\(\[reloadable\(\)\], Enemy\)/)
    expect(code).not.toContain('design:paramtypes')
    expect(code).not.toContain('Match3Type')
  })

  test('with it, design:paramtypes is emitted', () => {
    const { code } = lowerModule('/p/Enemy.ts', enemy, options({ emitDecoratorMetadata: true }))
    expect(code).toContain('"design:paramtypes"')
  })

  test('class fields follow useDefineForClassFields, or the target when it is not set', () => {
    const source = `import { reloadable } from 'hotclass'\n@reloadable() export class A { hp = 1; declare x: number; y?: number }\n`
    const assigned = lowerModule('/p/A.ts', source, options({ useDefineForClassFields: false })).code
    expect(assigned).toContain('this.hp = 1')
    const defined = lowerModule('/p/A.ts', source, options({ target: 'ES2022' })).code
    expect(defined).toMatch(/^\s*hp = 1;/m)
    expect(definesClassFields(options())).toBe(false)
    expect(definesClassFields(options({ target: 'ESNext' }))).toBe(true)
  })

  test('a syntax error is thrown with file, line and column', () => {
    const broken = () => lowerModule('/p/Bad.ts', 'const a = 1\n@reloadable() class {', options())
    expect(broken).toThrowError(/\/p\/Bad\.ts:2:\d+/)
    expect(broken).toThrowError(
      expect.objectContaining({ errors: [expect.objectContaining({ loc: expect.objectContaining({ line: 2 }) })] }),
    )
  })

  test('Oxc helpers resolve to the ES module copies hotclass depends on', () => {
    expect(resolveHelper('@oxc-project/runtime/helpers/decorate')).toMatch(/helpers\/esm\/decorate\.js$/)
    expect(resolveHelper('@oxc-project/runtime/helpers/nope')).toBeUndefined()
    expect(resolveHelper('pixi.js')).toBeUndefined()
  })
})

describe('metadata imports: a name only decorator metadata uses is read through a namespace', () => {
  const lowered = lowerModule('/p/Enemy.ts', enemy, options({ emitDecoratorMetadata: true })).code
  const safe = metadataSafeImports('/p/Enemy.js', lowered)

  test('a type used only in a parameter type no longer needs a named export (the blank page)', () => {
    expect(safe).toContain('import * as __hotclass_meta0 from "./utils";')
    expect(safe).not.toMatch(/import \{[^}]*Match3Type/)
    expect(safe).toContain('typeof __hotclass_meta0.Match3Type === "undefined" ? Object : __hotclass_meta0.Match3Type')
    expect(safe).toContain('typeof __hotclass_meta1.default === "undefined"')
  })

  test('a name also used as a value keeps its named import; no line moves', () => {
    expect(safe).toMatch(/import \{ Other as O \} from "\.\/utils";/)
    expect(safe).toContain('console.log(O)')
    expect(safe.split('\n').length).toBe(lowered.split('\n').length)
  })

  test('a module without metadata is returned as it is', () => {
    const plain = lowerModule('/p/Enemy.ts', enemy, options()).code
    expect(metadataSafeImports('/p/Enemy.js', plain)).toBe(plain)
  })
})

describe('tsconfig: the options that govern a module, found as TypeScript finds them', () => {
  let dir: string
  const put = async (file: string, text: string) => {
    await mkdir(dirname(join(dir, file)), { recursive: true })
    await writeFile(join(dir, file), text)
  }
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hotclass-tsconfig-'))
    await put('base.json', '{ "compilerOptions": { "experimentalDecorators": true, /* c */ "target": "ES2020", } }')
    await put(
      'tsconfig.json',
      '// solution style, as Vite templates write it\n{ "files": [], "references": [{ "path": "./tsconfig.app.json" }, { "path": "./tsconfig.node.json" }] }',
    )
    await put(
      'tsconfig.app.json',
      '{ "extends": "./base.json", "compilerOptions": { "emitDecoratorMetadata": true, "paths": { "@/*": ["src/*"] } }, "include": ["src"] }',
    )
    await put(
      'tsconfig.node.json',
      '{ "compilerOptions": { "emitDecoratorMetadata": false }, "include": ["vite.config.ts"] }',
    )
    await put('lib/tsconfig.json', '{ "compilerOptions": { "useDefineForClassFields": false } }')
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  test('a solution-style config hands over to the reference that includes the module, with its extends chain', () => {
    const reader = new TsconfigReader(dir)
    expect(reader.optionsFor(join(dir, 'src/game/Enemy.ts'))).toEqual({
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      useDefineForClassFields: undefined,
      target: 'ES2020',
      file: 'tsconfig.app.json',
    })
  })

  test('the nearest config wins; no config at all gives nothing set', () => {
    const reader = new TsconfigReader(dir)
    expect(reader.optionsFor(join(dir, 'lib/a.ts'))).toMatchObject({
      useDefineForClassFields: false,
      file: 'lib/tsconfig.json',
    })
    expect(new TsconfigReader('/').optionsFor('/nowhere/a.ts')).toMatchObject({ file: undefined })
  })
})

describe("Vite's own Oxc pass: skipped for what hotclass lowered, kept for JSX and everything else", () => {
  test('a lowered .ts goes straight on; a lowered .tsx and an unlowered .ts still go through it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hotclass-oxc-'))
    const decorated = `import { reloadable } from 'hotclass'\n@reloadable()\nexport class A { x: number = 1 }\n`
    await writeFile(join(dir, 'a.ts'), decorated)
    const server = await createServer({
      root: dir,
      configFile: false,
      logLevel: 'error',
      plugins: [hotclass()],
      server: { middlewareMode: true, ws: false },
    })
    try {
      const find = (name: string): Plugin => server.config.plugins.find((p) => p.name === name)!
      const lower = find('hotclass:lower').transform as (code: string, id: string) => { code: string } | undefined
      const oxc = find('vite:oxc').transform as (code: string, id: string) => Promise<unknown>
      // Called without a plugin context: one that would compile reaches for `this.environment` and throws.
      const compiles = async (code: string, id: string): Promise<boolean> => {
        try {
          return (await oxc.call({}, code, id)) !== undefined
        } catch {
          return true
        }
      }
      const ts = join(dir, 'a.ts')
      expect(await compiles(lower.call({}, decorated, ts)!.code, ts)).toBe(false)
      const tsx = join(dir, 'b.tsx')
      expect(await compiles(lower.call({}, decorated, tsx)!.code, tsx)).toBe(true)
      expect(await compiles('const n: number = 1', join(dir, 'c.ts'))).toBe(true)
      // A new version that no longer applies the decorator is TypeScript for Vite to compile again.
      const plain = 'export const n: number = 1'
      expect(lower.call({}, plain, ts)).toBeUndefined()
      expect(await compiles(plain, ts)).toBe(true)
    } finally {
      await server.close()
      await rm(dir, { recursive: true, force: true })
    }
  })
})
