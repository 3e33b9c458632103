import type { EnvironmentModuleNode } from 'vite'
import { describe, expect, test } from 'vitest'
import { resolveOptions } from '../../src/vite/options.ts'
import { dependencyOrder, projectImports } from '../../src/vite/order.ts'
import { problemOf } from '../../src/vite/problems.ts'
import { propagate } from '../../src/vite/propagation.ts'
import { ErrorCodes } from '../../src/index.ts'

/** The server half's decisions, on module graphs built by hand (the e2e tests run them for real). */

interface FakeNode {
  file: string
  url: string
  importers: Set<FakeNode>
  importedModules: Set<FakeNode>
  acceptedHmrDeps: Set<FakeNode>
  isSelfAccepting: boolean
}

/** A module graph from `importer -> imported` edges; names are files under /root. */
function graph(edges: Array<[string, string]>, names: string[] = []): Map<string, EnvironmentModuleNode> {
  const nodes = new Map<string, FakeNode>()
  const node = (name: string): FakeNode => {
    let n = nodes.get(name)
    if (!n) {
      n = {
        file: `/root/${name}`,
        url: `/${name}`,
        importers: new Set(),
        importedModules: new Set(),
        acceptedHmrDeps: new Set(),
        isSelfAccepting: false,
      }
      nodes.set(name, n)
    }
    return n
  }
  for (const name of names) node(name)
  for (const [from, to] of edges) {
    node(from).importedModules.add(node(to))
    node(to).importers.add(node(from))
  }
  return nodes as unknown as Map<string, EnvironmentModuleNode>
}

const name = (n: EnvironmentModuleNode) => n.url.slice(1)
const swappable = (names: string[]) => (n: EnvironmentModuleNode) => names.includes(name(n))

describe('dependency order: a module is swapped after everything it imports', () => {
  test('a subclass saved first still comes after its base, through a module in between', () => {
    const g = graph([
      ['main.ts', 'Boss.ts'],
      ['Boss.ts', 'mixins.ts'],
      ['mixins.ts', 'Base.ts'],
    ])
    const order = dependencyOrder(
      ['Boss.ts', 'Base.ts'].map((n) => g.get(n)!),
      projectImports,
    )
    expect(order.map(name)).toEqual(['Base.ts', 'Boss.ts'])
  })

  test('unrelated modules keep the order they were given, and a cycle does not hang', () => {
    const g = graph([
      ['a.ts', 'b.ts'],
      ['b.ts', 'a.ts'],
      ['c.ts', 'd.ts'],
    ])
    const order = dependencyOrder(
      ['c.ts', 'a.ts', 'b.ts'].map((n) => g.get(n)!),
      projectImports,
    )
    expect(order.map(name)).toEqual(['c.ts', 'b.ts', 'a.ts'])
  })
})

describe('propagation: a module that cannot be swapped rides along only when every importer can be swapped', () => {
  test('every importer is swappable: those are swapped, naming the change', () => {
    const g = graph([
      ['main.ts', 'Enemy.ts'],
      ['main.ts', 'Boss.ts'],
      ['Enemy.ts', 'table.ts'],
      ['Boss.ts', 'table.ts'],
    ])
    const result = propagate(g.get('table.ts')!, swappable(['Enemy.ts', 'Boss.ts']), name)
    expect(result.kind).toBe('swap')
    if (result.kind === 'swap') expect([...result.boundaries].map(name).toSorted()).toEqual(['Boss.ts', 'Enemy.ts'])
  })

  test('an importer that cannot be swapped would run again: a full reload naming it, even with swappable importers above it', () => {
    const g = graph([
      ['main.ts', 'Boss.ts'],
      ['Boss.ts', 'helpers.ts'],
      ['helpers.ts', 'table.ts'],
    ])
    const result = propagate(g.get('table.ts')!, swappable(['Boss.ts']), name)
    expect(result).toMatchObject({ kind: 'fallback', action: 'full-reload' })
    if (result.kind === 'fallback') expect(result.reason).toMatch(/table\.ts is imported by helpers\.ts/)
  })

  test('one importer is the entry: a full reload, and the reason names the module and the entry', () => {
    const g = graph([
      ['main.ts', 'Enemy.ts'],
      ['main.ts', 'table.ts'],
      ['Enemy.ts', 'table.ts'],
    ])
    const result = propagate(g.get('table.ts')!, swappable(['Enemy.ts']), name)
    expect(result).toMatchObject({ kind: 'fallback', action: 'full-reload' })
    if (result.kind === 'fallback') expect(result.reason).toMatch(/table\.ts.*main\.ts/)
  })

  test("a chain reaching the user's own import.meta.hot code is left to Vite's HMR", () => {
    const g = graph([
      ['main.ts', 'hud.ts'],
      ['hud.ts', 'table.ts'],
    ])
    ;(g.get('hud.ts') as unknown as FakeNode).acceptedHmrDeps.add(g.get('table.ts') as unknown as FakeNode)
    expect(propagate(g.get('table.ts')!, swappable([]), name)).toMatchObject({ kind: 'fallback', action: 'hmr' })
  })

  test('a module nothing imports is a full reload', () => {
    const g = graph([], ['orphan.ts'])
    expect(propagate(g.get('orphan.ts')!, swappable([]), name)).toMatchObject({
      kind: 'fallback',
      action: 'full-reload',
      reason: 'nothing imports orphan.ts',
    })
  })
})

describe('problems: a broken module is described by file, line and column', () => {
  test("Oxc's parse error, whose location sits in its `errors` list, with colours stripped", () => {
    const error = Object.assign(new Error('Transform failed with 1 error:'), {
      id: '/root/demo/Enemy.ts',
      errors: [
        {
          message: '\u001b[31m[PARSE_ERROR] \u001b[0mUnexpected token\n  6 │ describe() {',
          loc: { file: '/root/demo/Enemy.ts', line: 6, column: 38 },
        },
      ],
    })
    expect(problemOf(error, 'demo/Enemy.ts', '/root')).toEqual({
      id: 'demo/Enemy.ts',
      file: 'demo/Enemy.ts',
      message: '[PARSE_ERROR] Unexpected token',
      line: 6,
      column: 39,
      frame: '  6 │ describe() {',
    })
  })

  test("a plugin's error with a top-level loc and frame", () => {
    const error = { message: '[plugin:x] boom', loc: { file: '/root/a.ts', line: 2, column: 0 }, frame: '2 | x' }
    expect(problemOf(error, 'a.ts', '/root')).toMatchObject({ file: 'a.ts', message: 'boom', line: 2, column: 1 })
  })
})

describe('plugin options: merged with the defaults once, frozen, bad values refused with a code', () => {
  test('defaults: probe mode on F5 with the overlay', () => {
    const options = resolveOptions()
    expect(options).toEqual({ mode: 'probe', key: 'F5', overlay: true, compact: true, evaluate: 'function' })
    expect(Object.isFrozen(options)).toBe(true)
  })

  test('a mode that does not exist, an empty key or a non-boolean overlay throw BAD_ARGUMENT', () => {
    expect(() => resolveOptions({ mode: 'manual' as never })).toThrow(
      expect.objectContaining({ code: ErrorCodes.BAD_ARGUMENT }),
    )
    expect(() => resolveOptions({ key: '' })).toThrow(/KeyboardEvent\.key/)
    expect(() => resolveOptions({ overlay: 'yes' as never })).toThrow(
      expect.objectContaining({ code: ErrorCodes.BAD_ARGUMENT }),
    )
  })
})
