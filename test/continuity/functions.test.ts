import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { harness } from './harness.ts'
import type { Harness } from './harness.ts'

let h: Harness
beforeAll(async () => {
  h = await harness('functions')
})
afterAll(() => h.close())

const apiModule = (v: number) => `
import { once } from 'hotclass'
export const handlers: Array<() => string> = []
function tick(): string { return 'tick v${v}' }
export function describe(name: string, times = 1): string { return \`\${name} v${v} x\${times}\` }
once(() => { handlers.push(tick) })
`

const shapesModule = (v: number, params: string) => `
export function Point(this: any, ${params}) { this.v = ${v}; this.args = [...arguments] }
export function self(this: unknown) { return this }
export function count(...xs: number[]) { return xs.length * ${v} }
`

const versionedModule = (v: number, cls = '') => `
import { reloadable } from 'hotclass'
@reloadable() export class Marker { v = ${v} ${cls} }
export function version() { return ${v} }
`

const flowModule = (v: number) => `
let fetches = 0
export async function load(): Promise<string> { await Promise.resolve(); return 'data v${v}' }
export function* count(n: number) { for (let i = 1; i <= n; i++) yield i * ${v} }
export const config = await Promise.resolve({ fetched: ++fetches })
`

describe('functions keep their identity: a caller holding the old function runs the new body', () => {
  test('a captured export, an importer of the first version and a callback registered once', async () => {
    h.write('api.ts', apiModule(1))
    h.write('caller.ts', `import { describe } from './api.ts'\nexport const call = () => describe('caller', 2)`)
    const api = await h.load('api.ts')
    const { call } = await h.load('caller.ts')
    const captured = api.describe
    expect(captured('a')).toBe('a v1 x1')
    const report = await h.swap('api.ts', apiModule(2))
    expect(report.ok).toBe(true)
    expect(captured('a', 3)).toBe('a v2 x3')
    expect(call()).toBe('caller v2 x2')
    expect(api.handlers.map((f: () => string) => f())).toEqual(['tick v2'])
    // A module evaluated after the swap gets the very same function object.
    const fresh = await h.core.hotswap(h.url('api.ts'))
    expect(fresh.ok).toBe(true)
    expect((await h.runner.import(`${h.url('api.ts')}?later`)).describe).toBe(captured)
  })

  test('`this`, `new`, rest arguments and arity pass through the wrapper', async () => {
    h.write('shapes.ts', shapesModule(1, 'x: number'))
    const m = await h.load('shapes.ts')
    const { Point, self, count } = m
    expect(Point.length).toBe(1)
    await h.swap('shapes.ts', shapesModule(2, 'x: number, y: number'))
    const p = new Point(1, 2, 3)
    expect(p).toMatchObject({ v: 2, args: [1, 2, 3] })
    expect(p instanceof Point).toBe(true)
    const target = { self }
    expect(target.self()).toBe(target)
    expect(self()).toBeUndefined()
    expect(count(1, 2, 3)).toBe(6)
    expect(Point.length).toBe(2)
    expect(Point.name).toBe('Point')
  })

  test('async functions, generators and top-level await keep working', async () => {
    h.write('flow.ts', flowModule(1))
    const m = await h.load('flow.ts')
    const { load, count } = m
    expect(await load()).toBe('data v1')
    expect(m.config).toEqual({ fetched: 1 })
    await h.swap('flow.ts', flowModule(2))
    expect(await load()).toBe('data v2')
    expect([...count(2)]).toEqual([2, 4])
    // The awaited declaration is unchanged: kept, its initialiser not run again.
    expect(m.config).toEqual({ fetched: 1 })
  })

  test('rollback() and a failed swap put the previous body back', async () => {
    h.write('versioned.ts', versionedModule(1))
    const { version } = await h.load('versioned.ts')
    await h.swap('versioned.ts', versionedModule(2))
    expect(version()).toBe(2)
    const undo = await h.core.rollback()
    expect(undo.ok).toBe(true)
    expect(version()).toBe(1)
    // A version that fails when its classes are patched (a #private member) is not applied at all.
    const failed = await h.swap('versioned.ts', versionedModule(3, '; #secret = 1'))
    expect(failed.error?.code).toBe('HOTCLASS_PRIVATE_MEMBERS')
    expect(version()).toBe(1)
  })

  test('rollback() undoes a swap of a module that has functions and no classes', async () => {
    h.write('plain-fn.ts', `export function speed() { return 1 }`)
    const { speed } = await h.load('plain-fn.ts')
    expect((await h.swap('plain-fn.ts', `export function speed() { return 2 }`)).ok).toBe(true)
    expect(speed()).toBe(2)
    const undo = await h.core.rollback()
    expect(undo.ok).toBe(true)
    expect(speed()).toBe(1)
  })
})
