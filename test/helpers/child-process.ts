import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { dirname } from 'node:path'

/** The environment children run in: colourless output, and this Node first on PATH for `#!/usr/bin/env node`. */
export const childEnv: NodeJS.ProcessEnv = {
  ...process.env,
  NO_COLOR: '1',
  FORCE_COLOR: '0',
  PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}`,
}

export interface Finished {
  code: number | null
  out: string
  err: string
}

/** Run a command to the end and collect its output; rejects only if it cannot start or outlives `timeoutMs`. */
export function run(command: string, args: string[], cwd: string, timeoutMs = 60_000): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')))
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${command} ${args.join(' ')} took over ${timeoutMs} ms; stderr:\n${err}`))
    }, timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, out, err })
    })
  })
}

/** A long-running child (a dev server, the CLI), its stdout and stderr collected line by line. */
export interface Running {
  child: ChildProcess
  out: string[]
  err: string[]
  /** Resolve with the first line (from index `from` on) of the stream that matches. */
  waitFor(stream: 'out' | 'err', pattern: RegExp, options?: { from?: number; timeoutMs?: number }): Promise<string>
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** Kill it if still running (test cleanup). */
  kill(): void
}

export function start(command: string, args: string[], cwd: string, defaultTimeoutMs = 20_000): Running {
  const child = spawn(command, args, { cwd, env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] })
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
    waitFor(stream, pattern, { from = 0, timeoutMs = defaultTimeoutMs } = {}) {
      const lines = stream === 'out' ? out : err
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = lines.slice(from).find((l) => pattern.test(l))
          if (hit !== undefined) {
            done()
            resolve(hit)
          } else if (child.exitCode !== null || child.signalCode !== null) {
            done()
            reject(new Error(`exited before ${pattern}; stdout:\n${out.join('\n')}\nstderr:\n${err.join('\n')}`))
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
