import { afterEach, describe, expect, test } from 'vitest'
import { NodeErrorCodes, watchConfig } from '../../src/node/index.ts'
import type { HotConfig } from '../../src/node/index.ts'
import { updateInPlace } from '../../src/node/merge.ts'
import { project, until } from './project.ts'
import type { Project } from './project.ts'

interface GameConfig {
  tickRate: number
  arena: { width: number; height: number }
  spawns: Array<{ x: number; y: number }>
}

/** A validator the way users write one: check what the game relies on, throw a readable reason. */
function validate(raw: unknown): GameConfig {
  const c = raw as Partial<GameConfig>
  if (typeof c.tickRate !== 'number' || c.tickRate <= 0) throw new Error('tickRate must be a positive number')
  if (typeof c.arena?.width !== 'number') throw new Error('arena.width must be a number')
  return c as GameConfig
}

/** The validator a swapped module might bring: one rule more. */
function stricter(raw: unknown): GameConfig {
  const c = validate(raw)
  if (c.tickRate > 60) throw new Error('tickRate above 60 is not supported')
  return c
}

const base: GameConfig = { tickRate: 20, arena: { width: 800, height: 600 }, spawns: [{ x: 1, y: 2 }] }

const projects: Project[] = []
const configs: Array<HotConfig<object>> = []
afterEach(async () => {
  for (const c of configs.splice(0)) await c.close()
  for (const p of projects.splice(0)) p.cleanup()
})

function setup(name: string, initial: unknown = base) {
  const p = project(`config-${name}`)
  projects.push(p)
  p.write('config.json', JSON.stringify(initial, null, 2))
  const lines: string[] = []
  const config = watchConfig(p.path('config.json'), validate, { log: (l) => lines.push(l) })
  configs.push(config)
  return { p, config, lines }
}

describe('a saved config updates the same object in place', () => {
  test('values change, nested objects and arrays keep their identity, changed paths are reported', async () => {
    const { p, config, lines } = setup('update')
    await config.ready
    const { arena, spawns } = config.value
    const seen: string[][] = []
    config.onChange((_, changed) => seen.push(changed))
    p.write('config.json', JSON.stringify({ ...base, tickRate: 30, arena: { width: 1024, height: 600 } }))
    await until('an update', () => seen.length === 1)
    expect(config.value.tickRate).toBe(30)
    expect(config.value.arena).toBe(arena)
    expect(arena.width).toBe(1024)
    expect(config.value.spawns).toBe(spawns)
    expect(seen[0]).toEqual(['tickRate', 'arena.width'])
    expect(config.version).toBe(2)
    expect(lines.at(-1)).toMatch(/updated: tickRate, arena\.width/)
  })
})

describe('a bad save keeps the old values and says why', () => {
  test('invalid JSON is refused with its code and line', async () => {
    const { p, config, lines } = setup('bad-json')
    await config.ready
    const errors: string[] = []
    config.onError((e) => errors.push(e.code))
    p.write('config.json', '{\n  "tickRate": 30,\n  "arena": { "width": 1 }\n  "spawns": []\n}')
    await until('a refusal', () => errors.length === 1)
    expect(errors[0]).toBe(NodeErrorCodes.CONFIG_INVALID_JSON)
    expect(config.error?.line).toBe(4)
    expect(config.value.tickRate).toBe(20)
    expect(config.value.arena.width).toBe(800)
    expect(lines.at(-1)).toMatch(/kept its old values.*not valid JSON.*HOTCLASS_CONFIG_INVALID_JSON/)
    p.write('config.json', JSON.stringify({ ...base, tickRate: 40 }))
    await until('the fix', () => config.value.tickRate === 40)
    expect(config.error).toBeUndefined()
  })

  test('a value the validator refuses is not applied, not even partly', async () => {
    const { p, config } = setup('refused')
    await config.ready
    p.write('config.json', JSON.stringify({ ...base, tickRate: -5, arena: { width: 1, height: 1 } }))
    await until('a refusal', () => config.error)
    expect(config.error!.code).toBe(NodeErrorCodes.CONFIG_INVALID)
    expect(config.error!.message).toMatch(/tickRate must be a positive number/)
    expect(config.value).toEqual(base)
  })

  test('the first load has no old values to keep: it throws the coded error', () => {
    const p = project('config-first')
    projects.push(p)
    p.write('broken.json', '{ nope')
    expect(() => watchConfig(p.path('broken.json'), validate, { watch: false })).toThrow(
      expect.objectContaining({ code: NodeErrorCodes.CONFIG_INVALID_JSON }),
    )
    expect(() => watchConfig(p.path('missing.json'), validate, { watch: false })).toThrow(
      expect.objectContaining({ code: NodeErrorCodes.CONFIG_UNREADABLE }),
    )
  })
})

describe('one live config per file', () => {
  test('calling watchConfig again (a swapped module re-running) returns the same object with the new validator', async () => {
    const { p, config } = setup('again')
    const again = watchConfig(p.path('config.json'), stricter, { log: () => {} })
    expect(again).toBe(config)
    p.write('config.json', JSON.stringify({ ...base, tickRate: 120 }))
    expect(again.reload()).toMatchObject({ ok: false })
    expect(again.value.tickRate).toBe(20)
  })

  test('close() is idempotent and stops updates', async () => {
    const { p, config } = setup('close')
    await config.ready
    const closing = config.close()
    expect(config.close()).toBe(closing)
    await closing
    // A second, open config in the same folder, saved after the closed one: once it has heard its
    // save, the closed one would have heard its own.
    p.write('other.json', JSON.stringify(base))
    const other = watchConfig(p.path('other.json'), validate, { log: () => {} })
    configs.push(other)
    await other.ready
    const heard = new Promise<void>((resolve) => other.onChange(() => resolve()))
    p.write('config.json', JSON.stringify({ ...base, tickRate: 99 }))
    p.write('other.json', JSON.stringify({ ...base, tickRate: 30 }))
    await heard
    expect(other.value.tickRate).toBe(30)
    expect(config.value.tickRate).toBe(20)
  })
})

describe('updateInPlace merges JSON values into live objects', () => {
  test('removed keys go, added keys come, arrays are resized in place', () => {
    const target: Record<string, unknown> = { a: 1, gone: true, list: [1, { x: 1 }, 3], deep: { keep: [1] } }
    const list = target['list'] as unknown[]
    const item = list[1]
    const changed = updateInPlace(target, { a: 1, added: 'yes', list: [1, { x: 2 }], deep: { keep: [1] } })
    expect(target).toEqual({ a: 1, added: 'yes', list: [1, { x: 2 }], deep: { keep: [1] } })
    expect(target['list']).toBe(list)
    expect(list[1]).toBe(item)
    expect(changed.toSorted()).toEqual(['added', 'gone', 'list.length', 'list[1].x'])
  })

  test('a value changing kind (object to array, number to object) is replaced', () => {
    const target: Record<string, unknown> = { a: { x: 1 }, b: 2 }
    const changed = updateInPlace(target, { a: [1], b: { y: 1 } })
    expect(target).toEqual({ a: [1], b: { y: 1 } })
    expect(changed).toEqual(['a', 'b'])
  })
})
