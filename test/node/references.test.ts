import { afterEach, describe, expect, test } from 'vitest'
import { startCli } from './cli-process.ts'
import type { CliProcess } from './cli-process.ts'
import { project } from './project.ts'
import type { Project } from './project.ts'

/**
 * A game server under `hotclass run` whose reloadable class hands its methods out once, in its
 * constructor, as servers do: an EventEmitter handler bound with `.bind(this)`, another passed bare
 * (and later removed with `off` by the same reference), and a timer on `setInterval(this.tick.bind(this))`.
 * Saves must reach all of them in the same process, with the state the timer has built up kept.
 */

const room = (v: string) => `import { reloadable } from 'hotclass'
import type { EventEmitter } from 'node:events'

@reloadable()
export class Room {
  ticks = 0
  private readonly timer: ReturnType<typeof setInterval>

  constructor(readonly bus: EventEmitter) {
    bus.on('ping', this.onPing.bind(this))
    bus.on('chat', this.onChat)
    this.timer = setInterval(this.tick.bind(this), 20)
  }

  tick(): void {
    this.ticks++
    if (this.ticks % 5 === 0) console.log('tick ${v} ' + this.ticks)
  }

  onPing(from: string): void {
    console.log('pong ${v} ' + from + ' after ' + this.ticks + ' ticks')
  }

  onChat(text: string): void {
    console.log('chat ${v}: ' + text)
  }

  stop(): void {
    clearInterval(this.timer)
    this.bus.off('chat', this.onChat)
  }
}
`

/** The entry: one room for the process's life, driven by lines on stdin. */
const main = `import { EventEmitter } from 'node:events'
import { createInterface } from 'node:readline'
import { Room } from './room.ts'

const bus = new EventEmitter()
const room = new Room(bus)
const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
createInterface({ input: process.stdin }).on('line', (line) => {
  const [command = '', ...rest] = line.split(' ')
  if (command === 'ping' || command === 'chat') bus.emit(command, rest.join(' '))
  if (command === 'stop') {
    const before = timers()
    room.stop()
    console.log('stopped: chat listeners ' + bus.listenerCount('chat') + ', timers ' + (timers() - before))
  }
  if (command === 'mark') console.log('mark ' + rest.join(' '))
})
console.log('ready')
`

let cli: CliProcess | undefined
let p: Project | undefined
afterEach(() => {
  cli?.kill()
  p?.cleanup()
})

function send(line: string): void {
  cli!.child.stdin!.write(`${line}\n`)
}

/** Lines on stdout from index `from`, up to and including the first `mark <name>` after it. */
async function until(name: string, from: number): Promise<string[]> {
  send(`mark ${name}`)
  await cli!.waitFor('out', new RegExp(`^mark ${name}$`), { from })
  const out = cli!.out.slice(from)
  return out.slice(0, out.indexOf(`mark ${name}`))
}

describe('methods a Node server handed out once follow saves', () => {
  test('bound emitter handlers, a bare handler and a bound timer run the new code; off() still finds the handler', async () => {
    p = project('references')
    p.write('src/room.ts', room('v1'))
    p.write('src/main.ts', main)
    cli = startCli(['run', 'src/main.ts'], p.root)
    await cli.waitFor('out', /^ready$/)
    await cli.waitFor('out', /^tick v1 5$/)
    let from = cli.out.length
    send('ping a')
    send('chat hello')
    expect(await until('one', from)).toEqual([expect.stringMatching(/^pong v1 a after \d+ ticks$/), 'chat v1: hello'])

    p.write('src/room.ts', room('v2'))
    await cli.waitFor('err', /swapped Room \(\+0 -0 ~3\)/)
    from = cli.out.length
    const first = Number((await cli.waitFor('out', /^tick v2 \d+$/, { from })).split(' ')[2])
    // The timer kept counting from where it was (no new Room, no restart), and only the new body ticks.
    expect(first).toBeGreaterThan(5)
    await cli.waitFor('out', new RegExp(`^tick v2 ${first + 10}$`), { from })
    expect(cli.out.slice(from).filter((l) => l.startsWith('tick v1'))).toEqual([])

    from = cli.out.length
    send('ping b')
    send('chat again')
    const lines = (await until('two', from)).filter((l) => !l.startsWith('tick'))
    // One answer each: the handlers registered at start-up run the new bodies, none was added.
    expect(lines).toEqual([expect.stringMatching(/^pong v2 b after \d+ ticks$/), 'chat v2: again'])
    expect(Number(/after (\d+)/.exec(lines[0]!)![1])).toBeGreaterThanOrEqual(first + 10)

    // `stop()` passes `off` the reference it reads now, after the swap: it must be the one `on` got.
    from = cli.out.length
    send('stop')
    send('chat nobody')
    const stopped = (await until('three', from)).filter((l) => !l.startsWith('tick'))
    expect(stopped).toEqual(['stopped: chat listeners 0, timers -1'])
    expect(cli.child.exitCode).toBeNull()
  })
})
