import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { dependencyOrder } from '../../src/vite/order.ts'

const graph = (edges: Record<string, string[]>) => (file: string) => edges[file] ?? []

describe('changed files are ordered importee before importer', () => {
  test('through modules that did not change', () => {
    // game -> room -> player: game and player changed, room did not.
    const imports = graph({ game: ['room'], room: ['player'], player: [] })
    expect(dependencyOrder(['game', 'player'], imports)).toEqual(['player', 'game'])
  })

  test('an import cycle keeps every file once', () => {
    const imports = graph({ a: ['b'], b: ['a'], c: ['a'] })
    const ordered = dependencyOrder(['c', 'a', 'b'], imports)
    expect(ordered.toSorted()).toEqual(['a', 'b', 'c'])
    expect(ordered.at(-1)).toBe('c')
  })

  test('for any acyclic import graph, every changed file comes after the changed files it reaches', () => {
    // Node i may import only nodes j < i, which makes every generated graph acyclic.
    const arbitraryGraph = fc
      .integer({ min: 1, max: 12 })
      .chain((n) =>
        fc.tuple(
          fc.array(fc.array(fc.nat(), { maxLength: 4 }), { minLength: n, maxLength: n }),
          fc.subarray([...Array(n).keys()], { minLength: 1 }),
        ),
      )
    fc.assert(
      fc.property(arbitraryGraph, ([raw, changed]) => {
        const edges = raw.map((targets, i) => (i === 0 ? [] : [...new Set(targets.map((t) => `m${t % i}`))]))
        const imports = (f: string) => edges[Number(f.slice(1))] ?? []
        const files = changed.map((i) => `m${i}`).toReversed()
        const ordered = dependencyOrder(files, imports)
        expect(ordered.toSorted()).toEqual(files.toSorted())
        const reaches = (from: string, to: string): boolean => {
          const seen = new Set<string>()
          const stack = [...imports(from)]
          while (stack.length > 0) {
            const f = stack.pop()!
            if (f === to) return true
            if (seen.has(f)) continue
            seen.add(f)
            stack.push(...imports(f))
          }
          return false
        }
        for (const [i, a] of ordered.entries()) {
          for (const b of ordered.slice(i + 1)) expect(reaches(a, b)).toBe(false)
        }
      }),
    )
  })
})
