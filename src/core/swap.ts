import { onConfigure, options } from './config.ts'
import { now, logger } from './env.ts'
import { errors, HotclassError } from './errors.ts'
import { History } from './history.ts'
import { host } from './host.ts'
import { isInsideRoot } from './root.ts'
import { locate } from './source-location.ts'
import { publish } from './report.ts'
import { describeChange } from './patch.ts'
import { moduleStates } from './continuity/journal.ts'
import { restore, Transaction } from './transaction.ts'
import type { SwapReport } from './types.ts'

const log = logger('core')

export const swapHistory = new History(options().historyLimit)
onConfigure((o) => swapHistory.setLimit(o.historyLimit))

let queue: Promise<unknown> = Promise.resolve()
let importVersion = 0

/** Swaps run one at a time: a second F5 while one is importing waits for it instead of interleaving. */
function serialize<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work, work)
  queue = run.catch(() => undefined)
  return run
}

function failed(
  kind: SwapReport['kind'],
  modules: string[],
  error: NonNullable<SwapReport['error']>,
  started: number,
): SwapReport {
  return publish({ ok: false, error, modules, classes: [], durationMs: now() - started, patchMs: 0, kind })
}

/**
 * Re-evaluate a module and patch every reloadable class it defines, in one transaction.
 * Resolves, never rejects, for anything that can go wrong with the module; throws only for a
 * specifier that is not a string or URL.
 * @example
 * const report = await hotswap('./src/entities/enemy.ts')
 * if (!report.ok) console.warn(report.error.code, report.error.message)
 */
export function hotswap(specifier: string | URL): Promise<SwapReport> {
  if (typeof specifier !== 'string' && !(specifier instanceof URL)) {
    throw errors.badArgument('hotswap(specifier)', 'a module path, file URL or module URL (string | URL)', specifier)
  }
  return swapModules([specifier])
}

/**
 * Swap several modules in one transaction, in the order given (callers pass dependency order: a base
 * class's module before its subclasses'). All commit together or none does.
 */
export function swapModules(specifiers: ReadonlyArray<string | URL>): Promise<SwapReport> {
  for (const s of specifiers) {
    if (typeof s !== 'string' && !(s instanceof URL)) {
      throw errors.badArgument('swapModules(specifiers)', 'an array of module paths or URLs', s)
    }
  }
  return serialize(() => runSwap(specifiers))
}

async function runSwap(specifiers: ReadonlyArray<string | URL>): Promise<SwapReport> {
  const started = now()
  const h = host()
  const modules: string[] = []
  const urls: string[] = []
  for (const specifier of specifiers) {
    let url: string
    try {
      url = h.resolve(specifier)
    } catch (cause) {
      return failed('swap', modules, errors.moduleNotFound(String(specifier), cause), started)
    }
    modules.push(h.moduleId(url))
    if (!isInsideRoot(url, h.root))
      return failed('swap', modules, errors.outsideRoot(String(specifier), h.root), started)
    urls.push(url)
  }

  // Scoped to the modules this swap imports: a module some other code imports for the first time while
  // this swap awaits (a lazy `import()` in a scene loader) is not captured by it.
  const txn = new Transaction(modules).begin()
  for (const [i, url] of urls.entries()) {
    try {
      await h.importModule(url, ++importVersion)
    } catch (cause) {
      txn.abort()
      const spec = String(specifiers[i])
      const refused = hotclassCause(cause)
      const error = refused
        ? refused
        : h.isNotFound(cause)
          ? errors.moduleNotFound(spec, cause)
          : errors.loadFailed(modules[i]!, cause, locate(cause, url, h.moduleId))
      log('load of %s failed: %s', spec, error.message)
      return failed('swap', modules, error, started)
    }
  }
  return commit(txn, 'swap', modules, started)
}

/**
 * A coded hotclass error raised while the module evaluated (a class definition the core refused, a
 * host's watchdog stopping a runaway evaluation), if that is what failed: reported with its own code.
 */
function hotclassCause(cause: unknown): SwapReport['error'] | undefined {
  const seen = new Set<unknown>()
  for (let e = cause; e && typeof e === 'object' && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e)
    if (e instanceof HotclassError) return e
    const code = (e as { code?: unknown }).code
    if (e instanceof Error && typeof code === 'string' && code.startsWith('HOTCLASS_')) return e as SwapReport['error']
  }
  return undefined
}

/** Commit a transaction whose modules have evaluated, push a history step and publish the report. */
export function commit(txn: Transaction, kind: SwapReport['kind'], modules: string[], started: number): SwapReport {
  const patchStarted = now()
  let result
  try {
    result = txn.commit()
  } catch (cause) {
    const error = cause instanceof HotclassError ? cause : errors.patchFailed('a class', cause)
    return failed(kind, modules, error, started)
  }
  const patchMs = now() - patchStarted
  const report: SwapReport = {
    ok: true,
    modules,
    classes: result.changes,
    durationMs: now() - started,
    patchMs,
    kind,
  }
  // Every committed swap is a step, class-less ones too: rollback() undoes the last swap, whatever it held.
  const state = moduleStates(txn)
  if (state) report.state = state
  if (kind === 'swap') report.step = swapHistory.push(modules, result.entries, Date.now(), result.rollback).id
  log(
    '%s %o',
    kind,
    report.classes.map((c) => c.name),
  )
  return publish(report)
}

/**
 * Undo the last committed swap: re-apply the versions before it through the same patching path, as a
 * transaction of its own. With nothing left to undo, the report is `ok: false` with
 * `HOTCLASS_NOTHING_TO_ROLLBACK`.
 * @example
 * const report = await hotswap('./src/enemy.ts')
 * if (looksWrong()) await rollback()
 */
export function rollback(): Promise<SwapReport> {
  return serialize(async () => {
    const started = now()
    const step = swapHistory.pop()
    if (!step) return failed('rollback', [], errors.nothingToRollback(), started)
    // Exactly the state before the swap: every member and link as the snapshot taken then saw it
    // (a member the game patched at run time included), and the static data the swap wrote; static
    // data it kept stays at its runtime value, like every other piece of game state.
    const txn = new Transaction()
    const patchStarted = now()
    try {
      for (const entry of step.entries.toReversed()) {
        if (!entry.snapshot) continue
        txn.touch(entry.record)
        restore(entry.snapshot, entry.statics)
      }
      for (const undo of step.rollback.toReversed()) undo()
    } catch (cause) {
      txn.abort()
      swapHistory.restore(step)
      return failed('rollback', step.modules, errors.patchFailed('a class', cause), started)
    }
    const changes = step.entries.flatMap((e) => (e.from ? [describeChange(e.record, e.to, e.from)] : []))
    const report: SwapReport = {
      ok: true,
      modules: step.modules,
      classes: changes,
      durationMs: now() - started,
      patchMs: now() - patchStarted,
      kind: 'rollback',
    }
    return publish(report)
  })
}
