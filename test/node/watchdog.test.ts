import { afterEach, describe, expect, test } from 'vitest'
import { startCli } from './cli-process.ts'
import type { CliProcess } from './cli-process.ts'
import { project } from './project.ts'
import type { Project } from './project.ts'

/** A game that ticks on a reloadable instance: the counter going on proves the server kept running. */
const tickAs = (label: string, top = '') => `import { reloadable } from 'hotclass'
${top}
@reloadable()
export class Game {
  ticks = 0
  step() {
    this.ticks++
    return 'tick ' + this.ticks + ' ${label}'
  }
}
`
/** Says it has started on stderr (synchronous for a pipe on Linux), then never returns. */
const endless = tickAs('never', `console.error('evaluation started: looping')\nwhile (true) {}`)

const main = `import { Game } from './game.ts'
const game = new Game()
setInterval(() => console.log(game.step()), 20)
`

const running: CliProcess[] = []
const projects: Project[] = []
afterEach(() => {
  for (const cli of running.splice(0)) cli.kill()
  for (const p of projects.splice(0)) p.cleanup()
})

function start(name: string, args: string[]): { p: Project; cli: CliProcess } {
  const p = project(`watchdog-${name}`)
  projects.push(p)
  p.write('src/game.ts', tickAs('v1'))
  p.write('src/main.ts', main)
  const cli = startCli([...args, 'run', 'src/main.ts'], p.root)
  running.push(cli)
  return { p, cli }
}

describe('the watchdog stops a module whose top level never finishes', () => {
  test('an endless loop is stopped and reported as a failed swap; the old code ticks on; the fix swaps in', async () => {
    const { p, cli } = start('loop', ['--watchdog', '500'])
    await cli.waitFor('out', /tick 2 v1/)
    p.write('src/game.ts', endless)
    await cli.waitFor('err', /evaluation started: looping/)
    const failed = await cli.waitFor('err', /swap failed/)
    expect(failed).toMatch(/src\/game\.ts ran for \d+ ms without letting the server run \(limit 500 ms\)/)
    expect(failed).toMatch(/HOTCLASS_EVALUATION_TIMEOUT/)
    await cli.waitFor('err', /hint: Look for an endless loop/)
    // The server is alive and still runs the old code.
    const after = cli.out.length
    await cli.waitFor('out', /v1$/, { from: after })
    p.write('src/game.ts', tickAs('v3'))
    const fixed = await cli.waitFor('out', /v3$/)
    expect(Number(/tick (\d+)/.exec(fixed)![1])).toBeGreaterThan(2)
    expect(cli.out.some((l) => l.endsWith('never'))).toBe(false)
  })

  test('an endless loop in the entry itself is stopped: the host exits with the entry error', async () => {
    const p = project('watchdog-entry')
    projects.push(p)
    p.write('src/main.ts', `console.error('evaluation started: looping')\nwhile (true) {}\n`)
    const cli = startCli(['--watchdog', '500', 'run', 'src/main.ts'], p.root)
    running.push(cli)
    await cli.waitFor('err', /HOTCLASS_ENTRY_FAILED/)
    expect(cli.err.join('\n')).toMatch(/ran for \d+ ms without letting the server run/)
    expect(await cli.exited).toEqual({ code: 1, signal: null })
  })
})

describe('the watchdog watches the module code, not its transform', () => {
  test('a transform that blocks past the limit (a huge module) is not stopped: the swap goes in', async () => {
    const p = project('watchdog-slow-transform')
    projects.push(p)
    p.write('src/game.ts', tickAs('v1'))
    p.write('src/main.ts', main)
    // Blocks the thread for twice the limit while transforming game.ts, as Vite does on a 4 MB module.
    p.write(
      'slow.config.mjs',
      `export default { plugins: [{ name: 'slow', transform(code, id) {
        if (!id.includes('game.ts')) return
        const until = Date.now() + 600
        while (Date.now() < until) {}
      } }] }\n`,
    )
    const cli = startCli(['--watchdog', '300', '--config', 'slow.config.mjs', 'run', 'src/main.ts'], p.root)
    running.push(cli)
    await cli.waitFor('out', /tick 2 v1/)
    p.write('src/game.ts', tickAs('v2'))
    await cli.waitFor('out', /v2$/)
    expect(cli.err.join('\n')).not.toMatch(/HOTCLASS_EVALUATION_TIMEOUT|HOTCLASS_ENTRY_FAILED/)
  })
})

describe('Ctrl+C ends the host in every state', () => {
  test('SIGINT during a runaway evaluation exits', async () => {
    const { p, cli } = start('sigint', ['--watchdog', '1000'])
    await cli.waitFor('out', /tick 2 v1/)
    p.write('src/game.ts', endless)
    await cli.waitFor('err', /evaluation started: looping/)
    cli.child.kill('SIGINT')
    expect(await cli.exited).toEqual({ code: 0, signal: null })
    // The watchdog's inspector session is closed once it has stopped the evaluation.
    expect(cli.err.join('\n')).not.toMatch(/debugger/i)
  })
})
