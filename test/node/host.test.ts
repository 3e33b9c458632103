import { renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { afterEach, describe, expect, test } from 'vitest'
import { createNodeHost, NodeErrorCodes } from '../../src/node/index.ts'
import type { HostEvent, NodeHost, NodeHostOptions } from '../../src/node/index.ts'
import type { SwapReport } from '../../src/index.ts'
import { project, sleep, until } from './project.ts'
import type { Project } from './project.ts'

const player = (label: string, extra = '') => `import { reloadable } from 'hotclass'
@reloadable()
export class Player {
  hp = 10
  hit() { this.hp -= 1; return '${label}' }
  ${extra}
}
`

/** room.ts counts its own evaluations, so a test can tell whether an importer was re-run. */
const room = (label: string) => `import { reloadable } from 'hotclass'
import { Player } from './player.ts'
const g = globalThis as unknown as Record<string, number>
g[import.meta.url] = (g[import.meta.url] ?? 0) + 1
export const roomEvaluations = () => g[import.meta.url]
@reloadable()
export class Room {
  players = [new Player(), new Player()]
  label() { return '${label}' }
}
`

const game = (label: string) => `import { Room } from './room.ts'
export function makeRoom() { return new Room() }
export const gameLabel = '${label}'
`

const main = `import { makeRoom } from './game.ts'
export { roomEvaluations } from './room.ts'
export const room = makeRoom()
`

interface Live {
  room: { players: Array<{ hp: number; hit(): string }>; label(): string }
  roomEvaluations(): number
}

interface Setup {
  p: Project
  host: NodeHost
  live: Live
  events: HostEvent[]
  reports: () => SwapReport[]
}

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).toReversed()) await c()
})

async function setup(name: string, options: Partial<NodeHostOptions> = {}): Promise<Setup> {
  const p = project(name)
  p.write('src/player.ts', player('v1'))
  p.write('src/room.ts', room('r1'))
  p.write('src/game.ts', game('g1'))
  p.write('src/main.ts', main)
  cleanups.push(() => p.cleanup())
  const host = await createNodeHost({ root: p.root, ...options })
  cleanups.push(() => host.close())
  const events: HostEvent[] = []
  host.onEvent((e) => events.push(e))
  const live = await host.run<Live>('src/main.ts')
  const reports = () => events.flatMap((e) => (e.type === 'report' ? [e.report] : []))
  return { p, host, live, events, reports }
}

/**
 * Wait until the host has handled everything saved so far, without a fixed sleep: save a sentinel
 * change to `file` and wait for its report (`count` reports in all). Saves made before it were seen
 * first, so a swap they caused (wrongly) has reported by then.
 */
async function afterSentinel(s: Setup, count: number, file = 'src/game.ts'): Promise<SwapReport> {
  s.p.write(file, file === 'src/game.ts' ? game('sentinel') : room('sentinel'))
  await until('the sentinel swap', () => s.reports().some((r) => r.modules.includes(file)))
  await until(`${count} reports`, () => s.reports().length >= count)
  return s.reports().at(-1)!
}

describe('a save swaps the module in place: state kept, new code runs', () => {
  test('live instances run the new method and keep their fields', async () => {
    const { p, live, reports } = await setup('save')
    const first = live.room.players[0]!
    expect(first.hit()).toBe('v1')
    expect(first.hp).toBe(9)
    p.write('src/player.ts', player('v2'))
    await until('a swap report', () => reports().length === 1)
    expect(reports()[0]!.ok).toBe(true)
    expect(reports()[0]!.modules).toEqual(['src/player.ts'])
    expect(first.hit()).toBe('v2')
    expect(first.hp).toBe(8)
    expect(live.room.players[0]).toBe(first)
  })

  test('the hotclass Vite plugin runs in the host: classes are keyed by module', async () => {
    const { host } = await setup('keys', { watch: false })
    const ids = host.core.inspect().classes.map((c) => c.id)
    expect(ids.toSorted()).toEqual(['src/player.ts#Player', 'src/room.ts#Room'])
  })
})

describe('changed files swap in one transaction, importee before importer', () => {
  test('swap() orders files by imports, whatever order they are given in', async () => {
    const { p, host, live } = await setup('order', { watch: false })
    p.write('src/player.ts', player('v2'))
    p.write('src/room.ts', room('r2'))
    const report = await host.swap(['src/room.ts', 'src/player.ts'])
    expect(report.ok).toBe(true)
    expect(report.modules).toEqual(['src/player.ts', 'src/room.ts'])
    expect(live.room.label()).toBe('r2')
    expect(live.room.players[0]!.hit()).toBe('v2')
  })

  test('saving several files at once ("Save All") is one transaction', async () => {
    const s = await setup('save-all')
    const { p, live, reports } = s
    p.write('src/room.ts', room('r2'))
    p.write('src/player.ts', player('v2'))
    await until('a swap report', () => reports().length >= 1)
    await afterSentinel(s, 2)
    expect(reports().map((r) => r.modules)).toEqual([['src/player.ts', 'src/room.ts'], ['src/game.ts']])
    expect(live.room.label()).toBe('r2')
  })
})

describe('importers are not re-run', () => {
  test('a module between two swapped ones keeps its single evaluation', async () => {
    const { p, host, live } = await setup('importers', { watch: false })
    expect(live.roomEvaluations()).toBe(1)
    p.write('src/player.ts', player('v2'))
    expect((await host.hotswap('src/player.ts')).ok).toBe(true)
    // game.ts imports room.ts, which imported the swapped player.ts: re-evaluating game.ts must reuse
    // room.ts as evaluated, or its module state (and its Room instances' context) would be reset.
    p.write('src/game.ts', game('g2'))
    expect((await host.hotswap('src/game.ts')).ok).toBe(true)
    expect(live.roomEvaluations()).toBe(1)
  })
})

describe('probe mode queues saves until apply()', () => {
  test('pending files wait, apply() swaps them, an empty queue gives undefined', async () => {
    const { p, host, live, events, reports } = await setup('probe', { mode: 'probe' })
    p.write('src/player.ts', player('v2'))
    await until('a pending event', () => events.some((e) => e.type === 'pending'))
    expect(host.pending).toEqual(['src/player.ts'])
    // A second save is pending as soon as the host has seen it: the first one was not swapped meanwhile.
    p.write('src/room.ts', room('r2'))
    await until('two pending files', () => host.pending.length === 2)
    expect(reports()).toHaveLength(0)
    expect(live.room.players[0]!.hit()).toBe('v1')
    const report = await host.apply()
    expect(report?.ok).toBe(true)
    expect(live.room.players[0]!.hit()).toBe('v2')
    expect(host.pending).toEqual([])
    expect(await host.apply()).toBeUndefined()
  })
})

describe('a save that lands while a swap runs is not lost', () => {
  test('it stays pending after that swap commits, and the next apply() makes it live', async () => {
    const { p, host, live, events } = await setup('during-swap', { mode: 'probe' })
    // v2's body says it started and then waits for the test, so the swap is running when v3 is saved.
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    let started!: () => void
    const evaluating = new Promise<void>((r) => (started = r))
    Object.assign(globalThis, { duringSwapGate: { gate, started } })
    const wait = `const g = (globalThis as any).duringSwapGate\ng.started()\nawait g.gate\n`
    p.write('src/player.ts', `${wait}${player('v2')}`)
    await until('v2 pending', () => events.some((e) => e.type === 'pending'))
    const first = host.apply()
    await evaluating
    const seen = events.length
    p.write('src/player.ts', player('v3'))
    await until('v3 pending', () => events.slice(seen).some((e) => e.type === 'pending'))
    release()
    expect((await first)?.ok).toBe(true)
    expect(live.room.players[0]!.hit()).toBe('v2')
    expect(host.pending).toEqual(['src/player.ts'])
    expect((await host.apply())?.ok).toBe(true)
    expect(live.room.players[0]!.hit()).toBe('v3')
  })
})

describe('one save gives one swap', () => {
  test('a burst of writes to one file is one swap of the last text', async () => {
    // A generous settle time, so a loaded CI machine stretching the 3 ms gaps cannot split the burst.
    const s = await setup('burst', { settleMs: 100 })
    const { p, live, reports } = s
    for (let i = 2; i <= 6; i++) {
      p.write('src/player.ts', player(`v${i}`))
      await sleep(3)
    }
    await until('a swap report', () => reports().length >= 1)
    await afterSentinel(s, 2)
    expect(reports().map((r) => r.modules)).toEqual([['src/player.ts'], ['src/game.ts']])
    expect(live.room.players[0]!.hit()).toBe('v6')
  })

  test('an atomic save (temp file renamed over the original) is one swap', async () => {
    const s = await setup('atomic')
    const { p, live, reports } = s
    p.writeAtomic('src/player.ts', player('v2'))
    await until('a swap report', () => reports().length >= 1)
    await afterSentinel(s, 2)
    expect(reports().map((r) => r.modules)).toEqual([['src/player.ts'], ['src/game.ts']])
    expect(live.room.players[0]!.hit()).toBe('v2')
  })

  test('a save that moves the old file away and writes a new one (vim) is one swap, not a deletion', async () => {
    const s = await setup('backup-write')
    const { p, live, events, reports } = s
    renameSync(p.path('src/player.ts'), p.path('src/player.ts~'))
    p.write('src/player.ts', player('v2'))
    await until('a swap report', () => reports().length >= 1)
    await afterSentinel(s, 2)
    expect(reports().map((r) => r.modules)).toEqual([['src/player.ts'], ['src/game.ts']])
    expect(events.filter((e) => e.type === 'deleted')).toEqual([])
    expect(live.room.players[0]!.hit()).toBe('v2')
  })

  test('a save written in two steps (truncate, then the text) is one swap of the whole text', async () => {
    const s = await setup('partial', { settleMs: 100 })
    const { p, live, reports } = s
    const text = player('v2', 'heal() { this.hp += 5 }')
    writeFileSync(p.path('src/player.ts'), '')
    await sleep(8)
    writeFileSync(p.path('src/player.ts'), text.slice(0, 40))
    await sleep(8)
    writeFileSync(p.path('src/player.ts'), text)
    await until('a swap report', () => reports().length >= 1)
    await afterSentinel(s, 2)
    expect(reports().map((r) => r.modules)).toEqual([['src/player.ts'], ['src/game.ts']])
    expect(reports()[0]!.ok).toBe(true)
    expect(live.room.players[0]!.hit()).toBe('v2')
  })

  test('writing the same text again is not a swap', async () => {
    const s = await setup('same-text')
    s.p.write('src/player.ts', player('v1'))
    await afterSentinel(s, 1)
    expect(s.reports().map((r) => r.modules)).toEqual([['src/game.ts']])
  })
})

describe('a broken save is reported and the old code keeps running', () => {
  test('the error has its code, file and line; the file stays pending until a fix swaps', async () => {
    const { p, host, live, reports } = await setup('broken')
    p.write(
      'src/player.ts',
      `import { reloadable } from 'hotclass'\n@reloadable()\nexport class Player {\n  hit( {\n}\n`,
    )
    await until('a failed report', () => reports().length === 1)
    const failed = reports()[0]!
    expect(failed.ok).toBe(false)
    expect(failed.error!.code).toBe('HOTCLASS_LOAD_FAILED')
    expect(failed.error!.file).toBe('src/player.ts')
    expect(failed.error!.line).toBeGreaterThanOrEqual(4)
    expect(live.room.players[0]!.hit()).toBe('v1')
    expect(host.pending).toEqual(['src/player.ts'])
    p.write('src/player.ts', player('v3'))
    await until('a second report', () => reports().length === 2)
    expect(reports()[1]!.ok).toBe(true)
    expect(live.room.players[0]!.hit()).toBe('v3')
    expect(host.pending).toEqual([])
  })
})

describe('only loaded files under the root are watched', () => {
  test('files outside the root and files the program never loaded are ignored', async () => {
    const outside = project('outside')
    cleanups.push(() => outside.cleanup())
    outside.write('helper.ts', `export const helper = () => 'h1'\n`)
    const p = project('inside')
    cleanups.push(() => p.cleanup())
    p.write('src/main.ts', `export { helper } from '${outside.path('helper.ts')}'\n`)
    p.write('src/unused.ts', `export const unused = 1\n`)
    const host = await createNodeHost({ root: p.root })
    cleanups.push(() => host.close())
    const events: HostEvent[] = []
    host.onEvent((e) => events.push(e))
    const live = await host.run<{ helper(): string }>('src/main.ts')
    outside.write('helper.ts', `export const helper = () => 'h2'\n`)
    p.write('src/unused.ts', `export const unused = 2\n`)
    // A save of the entry is reported (skipped) once the watcher has seen it, after the two above.
    p.write('src/main.ts', `export { helper } from '${outside.path('helper.ts')}'\nexport const more = 1\n`)
    await until('the entry skipped', () => events.length > 0)
    expect(events.map((e) => e.type)).toEqual(['skipped'])
    expect(live.helper()).toBe('h1')
  })

  test('saving the entry is skipped with the reason', async () => {
    const { p, events, reports } = await setup('entry')
    p.write('src/main.ts', `${main}\nexport const more = 1\n`)
    await until('a skipped event', () => events.find((e) => e.type === 'skipped'))
    expect(events.find((e) => e.type === 'skipped')).toMatchObject({ file: 'src/main.ts' })
    expect(reports()).toHaveLength(0)
  })

  test('deleting a loaded file is reported and its last version keeps running', async () => {
    const { p, live, events } = await setup('deleted')
    unlinkSync(p.path('src/player.ts'))
    await until('a deleted event', () => events.find((e) => e.type === 'deleted'))
    expect(events.find((e) => e.type === 'deleted')).toEqual({ type: 'deleted', file: 'src/player.ts' })
    expect(live.room.players[0]!.hit()).toBe('v1')
  })
})

describe('close() releases the host once', () => {
  test('every call returns the same promise and the host refuses use afterwards', async () => {
    const p = project('close')
    cleanups.push(() => rmSync(p.root, { recursive: true, force: true }))
    p.write('main.ts', 'export const x = 1\n')
    const host = await createNodeHost({ root: p.root })
    await host.run('main.ts')
    const first = host.close()
    expect(host.close()).toBe(first)
    await first
    expect(() => host.hotswap('main.ts')).toThrow(expect.objectContaining({ code: NodeErrorCodes.HOST_CLOSED }))
  })
})
