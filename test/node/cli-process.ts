import { join } from 'node:path'
import { start } from '../helpers/child-process.ts'
import type { Running } from '../helpers/child-process.ts'

const bin = join(process.cwd(), 'bin/hotclass.js')

/** The `hotclass` CLI as a real child process, its stdout and stderr collected line by line. */
export type CliProcess = Running

export function startCli(args: string[], cwd: string): CliProcess {
  return start(process.execPath, [bin, ...args], cwd, 10_000)
}
