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
      root: undefined,
      config: undefined,
      settleMs: 40,
      watchdogMs: undefined,
      quiet: false,
    })
    expect(parseArgs(['run', '--root', 'game', '--quiet', 'main.ts'])).toMatchObject({ root: 'game', quiet: true })
    expect(parseArgs(['--watchdog', '0', 'run', 'main.ts'])).toMatchObject({ watchdogMs: 0 })
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
    ]) {
      expect(() => parseArgs(argv), argv.join(' ')).toThrow(expect.objectContaining({ code: NodeErrorCodes.CLI_USAGE }))
    }
  })
})
