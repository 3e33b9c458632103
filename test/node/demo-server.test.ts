import { cpSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { startCli } from './cli-process.ts'
import type { CliProcess } from './cli-process.ts'
import { project } from './project.ts'
import type { Project } from './project.ts'

let cli: CliProcess | undefined
let p: Project | undefined
afterEach(() => {
  cli?.kill()
  p?.cleanup()
})

/** Scores on a status line, e.g. `tick 40 | room-1: bot-1 3, bot-3 1 | ...` -> { 'bot-1': 3, ... }. */
function scores(line: string): Map<string, number> {
  return new Map([...line.matchAll(/(bot-\d+)\D+?(\d+)/g)].map((m) => [m[1]!, Number(m[2])]))
}

describe('demo/server edited live under the CLI', () => {
  test('a Player edit changes the status line and keeps every score; config saves apply or are refused', async () => {
    // A private copy, so the test edits files nobody else is reading.
    p = project('demo-server')
    cpSync(join(process.cwd(), 'demo/server'), p.root, { recursive: true })
    const config = JSON.parse(readFileSync(p.path('config.json'), 'utf8')) as Record<string, unknown>
    p.write('config.json', JSON.stringify({ ...config, tickRate: 60, playerSpeed: 400, statusEverySeconds: 0.15 }))
    cli = startCli(['run', 'main.ts', '--port', '0'], p.root)

    const listening = await cli.waitFor('out', /listening on http:\/\/localhost:\d+/)
    const port = Number(/:(\d+)$/.exec(listening)![1])
    const state = (await (await fetch(`http://localhost:${port}/state`)).json()) as { rooms: unknown[] }
    expect(state.rooms).toHaveLength(2)

    await cli.waitFor('out', /tick \d+ \| room-1: bot-\d+ [1-9]/)
    const before = scores(cli.out.at(-1)!)
    const player = readFileSync(p.path('player.ts'), 'utf8')
    p.write(
      'player.ts',
      player.replace('return `${this.name} ${this.score}`', 'return `${this.name}=${this.score}pts`'),
    )
    await cli.waitFor('err', /swapped Player \(\+0 -0 ~1\)/)
    const after = scores(await cli.waitFor('out', /bot-\d+=\d+pts/))
    for (const [bot, score] of before) expect(after.get(bot)).toBeGreaterThanOrEqual(score)

    p.write('config.json', JSON.stringify({ ...config, tickRate: -1 }))
    expect(await cli.waitFor('err', /config/)).toMatch(/kept its old values.*tickRate must be a positive number/)
    const mark = cli.out.length
    p.write('config.json', JSON.stringify({ ...config, tickRate: 60, playerSpeed: 400, statusEverySeconds: 0.05 }))
    await cli.waitFor('err', /config .* updated: statusEverySeconds/)
    await cli.waitFor('out', /pts/, { from: mark })
  })
})
