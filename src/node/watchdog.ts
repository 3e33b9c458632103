import { Worker } from 'node:worker_threads'
import { logger } from '../core/env.ts'
import { nodeErrors } from './errors.ts'

const log = logger('node')

/** Slots of the shared heartbeat. */
const WATCHING = 0
const BEAT = 1
/** Transforms in flight: Vite's transform of a big module blocks too, but it is not the module's code. */
const PAUSED = 2

/**
 * The watchdog's own thread, as source: the main thread cannot watch itself while a module's top level
 * runs forever (no timer, no signal listener runs). It polls the heartbeat the main thread's timer
 * bumps; when the beat stops for longer than the limit while an evaluation is watched, it stops that
 * JavaScript with the inspector's `Runtime.terminateExecution` (a worker can open an inspector session
 * on the main thread). Measured on Node 20 and 24: that ends `while (true) {}` within one poll; V8 then
 * cancels the termination when the outermost call returns, so the process, its timers and its sockets
 * carry on. `process.kill(pid, 'SIGINT')` cannot: the main thread's listener never gets to run. The
 * session is opened only to stop, since an open one makes Node print "Waiting for the debugger to
 * disconnect" at exit.
 */
const workerSource = `
const { workerData, parentPort } = require('node:worker_threads')
const { Session } = require('node:inspector')
const state = new Int32Array(workerData.buffer)
const { limitMs, pollMs } = workerData
let lastBeat = -1
let lastBeatAt = Date.now()
setInterval(() => {
  const now = Date.now()
  const beat = Atomics.load(state, ${BEAT})
  if (beat !== lastBeat || Atomics.load(state, ${WATCHING}) === 0 || Atomics.load(state, ${PAUSED}) > 0) {
    lastBeat = beat
    lastBeatAt = now
    return
  }
  if (now - lastBeatAt < limitMs) return
  const blockedMs = now - lastBeatAt
  lastBeatAt = now
  const session = new Session()
  try {
    session.connectToMainThread()
    session.post('Runtime.terminateExecution', (error) => {
      session.disconnect()
      parentPort.postMessage({ blockedMs, error: error ? String(error.message) : undefined })
    })
  } catch (error) {
    parentPort.postMessage({ blockedMs, error: String(error && error.message) })
  }
}, pollMs)
`

export interface Watchdog {
  /**
   * Run `evaluate` (an import that evaluates module code). If it blocks the main thread for longer than
   * the limit, the evaluation is stopped and the promise rejects with `HOTCLASS_EVALUATION_TIMEOUT`.
   */
  watch<T>(what: string, evaluate: () => Promise<T>): Promise<T>
  /**
   * Run `work` (fetching and transforming a module) without counting the time it blocks: a 4 MB module
   * takes Vite seconds to transform, and stopping Vite mid-transform would leave its request pending.
   */
  unwatched<T>(work: () => Promise<T>): Promise<T>
  /** Stop the watchdog's thread. Idempotent. */
  close(): Promise<void>
}

interface Watched {
  what: string
  reject(error: unknown): void
}

/**
 * A watchdog for module evaluation that lives outside the main thread. `limitMs` 0 turns it off.
 * @example
 * const watchdog = createWatchdog(3000)
 * await watchdog.watch('src/game.ts', () => runner.importFresh(file))
 */
export function createWatchdog(limitMs: number): Watchdog {
  if (limitMs <= 0) {
    return { watch: (_what, evaluate) => evaluate(), unwatched: (work) => work(), close: async () => undefined }
  }
  const state = new Int32Array(new SharedArrayBuffer(12))
  // A beat several times per limit, so a busy but live loop is never mistaken for a stuck one.
  const beatMs = Math.max(5, Math.min(100, Math.floor(limitMs / 5)))
  const pollMs = Math.max(5, Math.min(50, Math.floor(limitMs / 10)))
  const worker = new Worker(workerSource, { eval: true, workerData: { buffer: state.buffer, limitMs, pollMs } })
  // The watchdog must never keep the host alive on its own.
  worker.unref()
  const active = new Set<Watched>()
  let timer: ReturnType<typeof setInterval> | undefined
  worker.on('message', (m: { blockedMs: number; error?: string }) => {
    if (m.error) log('watchdog could not stop the evaluation: %s', m.error)
    for (const w of active) w.reject(nodeErrors.evaluationTimeout(w.what, limitMs, m.blockedMs))
  })
  worker.on('error', (error) => log('watchdog thread failed: %O', error))

  const beat = () => void Atomics.add(state, BEAT, 1)
  let closing: Promise<void> | undefined

  return {
    watch<T>(what: string, evaluate: () => Promise<T>): Promise<T> {
      if (closing) return evaluate()
      let entry: Watched | undefined
      const stopped = new Promise<never>((_, reject) => {
        entry = { what, reject }
      })
      active.add(entry!)
      beat()
      Atomics.store(state, WATCHING, 1)
      timer ??= setInterval(beat, beatMs)
      const done = () => {
        active.delete(entry!)
        if (active.size > 0) return
        Atomics.store(state, WATCHING, 0)
        clearInterval(timer)
        timer = undefined
      }
      // A stopped evaluation's own promise never settles (its code was cut off mid-way): the race
      // settles instead, and the module runner gets a fresh evaluation next time.
      return Promise.race([evaluate(), stopped]).finally(done)
    },
    unwatched<T>(work: () => Promise<T>): Promise<T> {
      Atomics.add(state, PAUSED, 1)
      return work().finally(() => {
        Atomics.sub(state, PAUSED, 1)
        beat()
      })
    },
    close() {
      closing ??= worker.terminate().then(() => undefined)
      return closing
    },
  }
}
