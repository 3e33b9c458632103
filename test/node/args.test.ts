import { describe, expect, test } from 'vitest'
import { parseArgs } from '../../src/node/args.ts'
import { NodeErrorCodes } from '../../src/node/index.ts'

describe('hotclass command line', () => {
  test('options before the entry configure the host, arguments after it go to the entry', () => {
    expect(parseArgs(['--probe', '--settle', '40', 'run', 'src/server.ts', '--port', '3000'])).toEqual({
      command: 'run',
      entry: 'src/server.ts',
      entryArgs: ['--port', '3000'],
      mode: 'probe',
      probeSignal: undefined,
      root: undefined,
      config: undefined,
      settleMs: 40,
      watchdogMs: undefined,
      quiet: false,
    })
    expect(parseArgs(['run', '--root', 'game', '--quiet', 'main.ts'])).toMatchObject({ root: 'game', quiet: true })
    expect(parseArgs(['--watchdog', '0', 'run', 'main.ts'])).toMatchObject({ watchdogMs: 0 })
  })

  test("hotclass's options after the entry are still hotclass's; the entry's own options pass through", () => {
    expect(parseArgs(['run', 'src/server.ts', '--probe'])).toMatchObject({ mode: 'probe', entryArgs: [] })
    expect(parseArgs(['run', 'src/server.ts', '--port', '0', '--quiet', '--settle', '60'])).toMatchObject({
      entry: 'src/server.ts',
      entryArgs: ['--port', '0'],
      quiet: true,
      settleMs: 60,
      mode: 'auto',
    })
  })

  test("after `--` everything is the entry's, even names hotclass uses", () => {
    expect(parseArgs(['run', 'server.ts', '--probe', '--', '--config', 'game.json', '--probe'])).toMatchObject({
      mode: 'probe',
      config: undefined,
      entryArgs: ['--config', 'game.json', '--probe'],
    })
    expect(parseArgs(['run', '--', 'server.ts', '--quiet'])).toMatchObject({ entry: 'server.ts', quiet: false })
    expect(parseArgs(['run', 'server.ts', '--help', '-v'])).toMatchObject({
      command: 'run',
      entryArgs: ['--help', '-v'],
    })
  })

  test('--probe-signal names the signal that also applies (and implies --probe); there is none by default', () => {
    expect(parseArgs(['run', 'x.ts', '--probe'])).toMatchObject({ probeSignal: undefined })
    expect(parseArgs(['run', 'x.ts', '--probe-signal', 'SIGUSR2'])).toMatchObject({
      probeSignal: 'SIGUSR2',
      mode: 'probe',
    })
    expect(parseArgs(['run', '--probe-signal', 'hup', 'x.ts'])).toMatchObject({ probeSignal: 'SIGHUP' })
    for (const [signal, why] of [
      ['SIGINT', /stops the host/],
      ['term', /stops the host/],
      ['SIGKILL', /cannot be caught/],
      ['USR1', /debugger/],
      ['SIGNOPE', /not a signal/],
    ] as const) {
      expect(() => parseArgs(['run', 'x.ts', '--probe-signal', signal]), signal).toThrow(
        expect.objectContaining({ code: NodeErrorCodes.CLI_USAGE, message: expect.stringMatching(why) }),
      )
    }
  })

  test('no command, or --help, is help; --version is the version', () => {
    expect(parseArgs([])).toEqual({ command: 'help' })
    expect(parseArgs(['run', '-h'])).toEqual({ command: 'help' })
    expect(parseArgs(['--version'])).toEqual({ command: 'version' })
  })

  test('mistakes are coded usage errors', () => {
    for (const argv of [
      ['run'],
      ['serve', 'x.ts'],
      ['run', '--root'],
      ['run', '--settle', 'soon', 'x.ts'],
      ['run', '--watchdog', '-5', 'x.ts'],
      ['run', '--watchdog', 'forever', 'x.ts'],
      ['--nope'],
      ['run', '--probe-signal'],
      ['run', 'x.ts', '--root'],
    ]) {
      expect(() => parseArgs(argv), argv.join(' ')).toThrow(expect.objectContaining({ code: NodeErrorCodes.CLI_USAGE }))
    }
  })
})
