import { cpSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Client } from '@colyseus/sdk'
import type { Room } from '@colyseus/sdk'
import { afterEach, describe, expect, test } from 'vitest'
import { startCli } from './cli-process.ts'
import type { CliProcess } from './cli-process.ts'
import { project } from './project.ts'
import type { Project } from './project.ts'

/** The decoded arena state as a client sees it (examples/colyseus/state.ts). */
interface ArenaView {
  players: Map<string, { name: string; x: number; y: number; score: number }>
  ticks: number
  banner: string
}

let cli: CliProcess | undefined
let p: Project | undefined
const rooms: Room[] = []
afterEach(async () => {
  await Promise.allSettled(rooms.splice(0).map((r) => r.leave()))
  cli?.kill()
  p?.cleanup()
})

/** Resolve when the room's state satisfies `check`, tested on every patch the client receives. */
function until(room: Room, what: string, check: (state: ArenaView) => boolean, timeoutMs = 10_000): Promise<ArenaView> {
  return new Promise((resolve, reject) => {
    const onChange = (state: ArenaView) => {
      if (!check(state)) return
      done()
      resolve(state)
    }
    const timer = setTimeout(() => {
      done()
      reject(new Error(`timed out waiting for ${what}; state ${JSON.stringify(room.state)}\n${cli?.err.join('\n')}`))
    }, timeoutMs)
    const done = () => {
      clearTimeout(timer)
      room.onStateChange.remove(onChange)
    }
    room.onStateChange(onChange)
    if (room.state) onChange(room.state as ArenaView)
  })
}

const me = (room: Room) => (room.state as ArenaView).players.get(room.sessionId)!

async function startArena(): Promise<{ client: Client; edit: (from: string, to: string) => void }> {
  p = project('colyseus')
  // A private copy: the test edits files nobody else reads. The example's own tsconfig comes along.
  cpSync(join(process.cwd(), 'examples/colyseus'), p.root, { recursive: true })
  cli = startCli(['run', 'server.ts'], p.root)
  const listening = await cli.waitFor('out', /arena listening on ws:\/\/127\.0\.0\.1:\d+/)
  const client = new Client(`ws://127.0.0.1:${/:(\d+)$/.exec(listening)![1]}`)
  const copy = p
  const edit = (from: string, to: string) => {
    const source = readFileSync(copy.path('arena-room.ts'), 'utf8')
    if (!source.includes(from)) throw new Error(`arena-room.ts has no ${from}`)
    copy.write('arena-room.ts', source.replace(from, to))
  }
  return { client, edit }
}

async function enter(client: Client, name: string): Promise<Room> {
  const room = await client.joinOrCreate('arena', { name })
  rooms.push(room)
  await until(room, `${name} in the state`, (s) => s.players?.has(room.sessionId) === true)
  return room
}

describe('examples/colyseus under hotclass run, with SDK clients', () => {
  test('an edited room method reaches connected clients, and the room keeps its state and clients', async () => {
    const { client, edit } = await startArena()
    const ann = await enter(client, 'ann')
    const bob = await enter(client, 'bob')
    expect(bob.roomId).toBe(ann.roomId)
    for (let i = 0; i < 3; i++) ann.send('move', { dx: 1, dy: 0 })
    await until(ann, 'three steps of 1', () => me(ann).x === 3)
    const ticksBefore = (ann.state as ArenaView).ticks

    edit('const step = 1', 'const step = 10')
    await cli!.waitFor('err', /swapped ArenaRoom \(\+0 -0 ~1\)/)
    ann.send('move', { dx: 1, dy: 0 })
    const after = await until(ann, 'a step of 10', () => me(ann).x === 13)
    expect(after.ticks).toBeGreaterThan(ticksBefore)
    expect([...after.players.values()].map((pl) => pl.name).toSorted()).toEqual(['ann', 'bob'])
    // Bob's client decodes the same patches: it sees ann's new position too.
    await until(bob, 'bob sees ann at 13', (s) => s.players.get(ann.sessionId)?.x === 13)

    // onJoin stays a one-line delegate (Colyseus binds it once per room): an edit of join() reaches the
    // live room, and the client joining after the swaps gets the full state through the same encoder.
    edit(
      'player.name = options.name ?? client.sessionId',
      'player.name = (options.name ?? client.sessionId).toUpperCase()',
    )
    await cli!.waitFor('err', /swapped ArenaRoom/, { from: cli!.err.findIndex((l) => /swapped/.test(l)) + 1 })
    const cat = await enter(client, 'cat')
    expect(me(cat).name).toBe('CAT')
    expect((cat.state as ArenaView).players.get(ann.sessionId)?.x).toBe(13)
    expect(cli!.child.exitCode).toBeNull()
  })

  test('a tick that throws is reported, the server and its clients keep running, and the fix swaps in', async () => {
    const { client, edit } = await startArena()
    const ann = await enter(client, 'ann')
    await until(ann, 'ticks running', (s) => s.ticks > 2)

    edit('this.state.ticks++', "this.state.ticks++\n    if (this.state.ticks > 0) throw new Error('tick broke')")
    await cli!.waitFor('err', /swapped ArenaRoom/)
    await cli!.waitFor('err', /setInterval threw, the room keeps running: Error: tick broke/)
    // The room still answers messages while its tick is broken: the error was caught where it was thrown.
    const x = me(ann).x
    ann.send('move', { dx: 1, dy: 0 })
    await until(ann, 'a move while the tick is broken', () => me(ann).x === x + 1)
    const frozen = (ann.state as ArenaView).ticks

    edit("\n    if (this.state.ticks > 0) throw new Error('tick broke')", '')
    edit('return `arena: ', 'return `arena (fixed): ')
    const fixed = await until(ann, 'the fixed tick', (s) => s.banner.startsWith('arena (fixed): 1 players'))
    expect(fixed.ticks).toBeGreaterThan(frozen)
    expect(me(ann).x).toBe(x + 1)
    expect(cli!.child.exitCode).toBeNull()
    expect(cli!.err.join('\n')).not.toMatch(/uncaught error/)
  })

  test("Colyseus' own shutdown-on-error handler is named at start when the server keeps it", async () => {
    p = project('colyseus-default')
    cpSync(join(process.cwd(), 'examples/colyseus'), p.root, { recursive: true })
    p.write('server.ts', readFileSync(p.path('server.ts'), 'utf8').replace('gracefullyShutdown: false,', ''))
    cli = startCli(['run', 'server.ts'], p.root)
    await cli.waitFor('out', /arena listening/)
    expect(await cli.waitFor('err', /warning: the program handles uncaughtException/)).toMatch(
      /gracefullyShutdown: false/,
    )
  })
})
