import { afterEach, describe, expect, test } from 'vitest'
import { startCli } from './cli-process.ts'
import type { CliProcess } from './cli-process.ts'
import { project, sleep } from './project.ts'
import type { Project } from './project.ts'

/** A game whose tick counter lives on a reloadable instance: the counter going on proves state survived. */
const game = (step: string) => `import { reloadable } from 'hotclass'
@reloadable()
export class Game {
  ticks = 0
  step() {
    ${step}
  }
}
`
const tickAs = (label: string) => game(`this.ticks++\n    return 'tick ' + this.ticks + ' ${label}'`)

const main = `import { Game } from './game.ts'
const game = new Game()
setInterval(() => console.log(game.step()), 20)
`

const tickOf = (line: string) => Number(/tick (\d+)/.exec(line)![1])

const running: CliProcess[] = []
const projects: Project[] = []
afterEach(() => {
  for (const cli of running.splice(0)) cli.kill()
  for (const p of projects.splice(0)) p.cleanup()
})

function start(name: string, args: string[] = [], after: string[] = []): { p: Project; cli: CliProcess } {
  const p = project(`cli-${name}`)
  projects.push(p)
  p.write('src/game.ts', tickAs('v1'))
  p.write('src/main.ts', main)
  const cli = startCli([...args, 'run', 'src/main.ts', ...after], p.root)
  running.push(cli)
  return { p, cli }
}

describe('hotclass run: a save swaps the running program', () => {
  test('the edit is live, the state is kept, a one-line report goes to stderr', async () => {
    const { p, cli } = start('save')
    await cli.waitFor('out', /tick 3 v1/)
    await cli.waitFor('err', /running src\/main\.ts/)
    p.write('src/game.ts', tickAs('v2'))
    const line = await cli.waitFor('out', /v2$/)
    expect(tickOf(line)).toBeGreaterThan(3)
    expect(await cli.waitFor('err', /swapped/)).toMatch(/^\[hotclass\] swapped Game \(\+0 -0 ~1\) in \d+\.\d ms$/)
    expect(cli.out.join('\n')).not.toMatch(/tick 1 v2/)
  })
})

describe('hotclass run: a broken edit is survived', () => {
  test('a syntax error prints the coded error with file and line, and the old code keeps running', async () => {
    const { p, cli } = start('syntax')
    await cli.waitFor('out', /tick 2 v1/)
    p.write('src/game.ts', `import { reloadable } from 'hotclass'\n@reloadable()\nexport class Game {\n  step( {\n}\n`)
    const error = await cli.waitFor('err', /swap failed/)
    expect(error).toMatch(/src\/game\.ts:\d+:\d+/)
    expect(error).toMatch(/HOTCLASS_LOAD_FAILED/)
    const after = cli.out.length
    await cli.waitFor('out', /v1$/, { from: after })
    p.write('src/game.ts', tickAs('v3'))
    const fixed = await cli.waitFor('out', /v3$/)
    expect(tickOf(fixed)).toBeGreaterThan(2)
  })

  test('a method that throws in the tick loop is reported and the program keeps running until fixed', async () => {
    const { p, cli } = start('throw')
    await cli.waitFor('out', /tick 2 v1/)
    p.write('src/game.ts', game(`this.ticks++\n    throw new Error('boom at ' + this.ticks)`))
    await cli.waitFor('err', /uncaught error.*keeps running/)
    const first = await cli.waitFor('err', /Error: boom at/)
    // The tick loop goes on throwing: the process lived past the first throw (waitFor rejects on exit).
    await cli.waitFor('err', /Error: boom at/, { from: cli.err.indexOf(first) + 1 })
    expect(cli.child.exitCode).toBeNull()
    p.write('src/game.ts', tickAs('v4'))
    const fixed = await cli.waitFor('out', /v4$/)
    expect(tickOf(fixed)).toBeGreaterThan(4)
  })
})

describe('hotclass run --probe: changes wait for Enter, or a signal when one is named', () => {
  test("--probe after the entry is the host's: a save is queued, Enter applies it", async () => {
    const { p, cli } = start('probe', [], ['--probe'])
    await cli.waitFor('err', /probe mode: press Enter to apply/)
    await cli.waitFor('out', /tick 2 v1/)
    p.write('src/game.ts', tickAs('v2'))
    await cli.waitFor('err', /1 change pending \(src\/game\.ts\): press Enter to apply/)
    const queued = cli.out.length
    // Five more ticks (20 ms apart) while the change waits: every one still runs v1.
    await cli.waitFor('out', /tick/, { from: queued + 4 })
    expect(cli.out.slice(queued).every((l) => l.endsWith('v1'))).toBe(true)
    cli.child.stdin!.write('\n')
    await cli.waitFor('out', /v2$/)
  })

  test('--probe-signal SIGUSR2 applies on that signal too, and Enter keeps working', async () => {
    const { p, cli } = start('probe-signal', ['--probe-signal', 'SIGUSR2'])
    await cli.waitFor('err', /probe mode: press Enter or send SIGUSR2 \(kill -USR2 \d+\)/)
    await cli.waitFor('out', /tick 2 v1/)
    p.write('src/game.ts', tickAs('v2'))
    await cli.waitFor('err', /1 change pending/)
    cli.child.kill('SIGUSR2')
    await cli.waitFor('out', /v2$/)

    p.write('src/game.ts', tickAs('v3'))
    const pendingAgain = cli.err.length
    await cli.waitFor('err', /1 change pending/, { from: pendingAgain })
    cli.child.stdin!.write('\n')
    await cli.waitFor('out', /v3$/)
    expect(cli.err.filter((l) => /swapped Game/.test(l))).toHaveLength(2)
  })
})

describe('hotclass run: a burst of saves gives one swap', () => {
  test('six quick writes are one swap of the last text', async () => {
    // --settle 100: a loaded CI machine stretching the 3 ms gaps must not split the burst.
    const { p, cli } = start('burst', ['--settle', '100'])
    await cli.waitFor('out', /tick 2 v1/)
    for (let i = 2; i <= 7; i++) {
      p.write('src/game.ts', tickAs(`v${i}`))
      await sleep(3)
    }
    await cli.waitFor('out', /v7$/)
    // A sentinel save, seen after the burst: had the burst been split, its second swap came first.
    p.write('src/game.ts', tickAs('v8'))
    await cli.waitFor('out', /v8$/)
    expect(cli.err.filter((l) => /swapped|swap failed/.test(l))).toHaveLength(2)
    expect(cli.out.some((l) => /v[2-6]$/.test(l))).toBe(false)
  })
})

describe('hotclass run: clean exit', () => {
  test('Ctrl+C (SIGINT) closes the host and exits 0', async () => {
    const { cli } = start('sigint')
    await cli.waitFor('out', /tick 2 v1/)
    cli.child.kill('SIGINT')
    expect(await cli.exited).toEqual({ code: 0, signal: null })
  })

  test('SIGTERM exits 0 too', async () => {
    const { cli } = start('sigterm')
    await cli.waitFor('out', /tick 1 v1/)
    cli.child.kill('SIGTERM')
    expect(await cli.exited).toEqual({ code: 0, signal: null })
  })
})

describe('hotclass: bad starts are coded errors, not crashes', () => {
  test('an entry that fails to load exits 1 with HOTCLASS_ENTRY_FAILED', async () => {
    const p = project('cli-entry-fails')
    projects.push(p)
    p.write('main.ts', 'export const = 1\n')
    const cli = startCli(['run', 'main.ts'], p.root)
    running.push(cli)
    expect((await cli.exited).code).toBe(1)
    expect(cli.err.join('\n')).toMatch(/HOTCLASS_ENTRY_FAILED/)
  })

  test('an unknown option exits 2 with HOTCLASS_CLI_USAGE and the usage hint', async () => {
    const p = project('cli-usage')
    projects.push(p)
    const cli = startCli(['run', '--frobnicate', 'main.ts'], p.root)
    running.push(cli)
    expect((await cli.exited).code).toBe(2)
    expect(cli.err.join('\n')).toMatch(/Unknown option --frobnicate.*HOTCLASS_CLI_USAGE[\s\S]*hint: Run `hotclass run/)
  })
})
