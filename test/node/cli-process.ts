import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { join } from 'node:path'

const bin = join(process.cwd(), 'bin/hotclass.js')

/** The `hotclass` CLI as a real child process, its stdout and stderr collected line by line. */
export interface CliProcess {
  child: ChildProcess
  out: string[]
  err: string[]
  /** Resolve with the first line (from index `from` on) of the stream that matches. */
  waitFor(stream: 'out' | 'err', pattern: RegExp, options?: { from?: number; timeoutMs?: number }): Promise<string>
  /** Resolve when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** Kill it if still running (test cleanup). */
  kill(): void
}

export function startCli(args: string[], cwd: string): CliProcess {
  const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'] })
  const out: string[] = []
  const err: string[] = []
  const waiters = new Set<() => void>()
  const collect = (lines: string[]) => {
    let partial = ''
    return (chunk: Buffer) => {
      const parts = (partial + chunk.toString('utf8')).split('\n')
      partial = parts.pop()!
      lines.push(...parts)
      for (const w of waiters) w()
    }
  }
  child.stdout!.on('data', collect(out))
  child.stderr!.on('data', collect(err))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      resolve({ code, signal })
      for (const w of waiters) w()
    }),
  )
  return {
    child,
    out,
    err,
    exited,
    waitFor(stream, pattern, { from = 0, timeoutMs = 10_000 } = {}) {
      const lines = stream === 'out' ? out : err
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = lines.slice(from).find((l) => pattern.test(l))
          if (hit !== undefined) {
            done()
            resolve(hit)
          } else if (child.exitCode !== null || child.signalCode !== null) {
            done()
            reject(new Error(`exited before ${pattern}; stderr:\n${err.join('\n')}`))
          }
        }
        const timer = setTimeout(() => {
          done()
          reject(new Error(`timed out waiting for ${pattern} on std${stream}; stderr:\n${err.join('\n')}`))
        }, timeoutMs)
        const done = () => {
          clearTimeout(timer)
          waiters.delete(check)
        }
        waiters.add(check)
        check()
      })
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    },
  }
}
