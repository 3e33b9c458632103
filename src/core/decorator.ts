import { isProduction, logger, now } from './env.ts'
import { errors } from './errors.ts'
import { createRecord, keyOf, recordByKey, register, versionOf } from './registry.ts'
import { commit } from './swap.ts'
import { openTransaction, Transaction } from './transaction.ts'
import type { AnyClass, ReloadableOptions, TransformInfo } from './types.ts'

const log = logger('core')

/** The TC39 decorator context, as much of it as a class decorator needs. */
interface ClassDecoratorContext {
  kind: 'class'
  name: string | undefined
  addInitializer?(init: (this: unknown) => void): void
}

/** A decorator usable both as a TypeScript legacy decorator and in the TC39 `(value, context)` form. */
export type ReloadableDecorator = <C extends AnyClass>(value: C, context?: ClassDecoratorContext) => C

/**
 * Mark a class as reloadable. The class keeps its identity forever: when its module is evaluated again
 * (by `hotswap`, the Vite plugin or the Node host), the live class is patched in place and every
 * existing instance runs the new code with its state intact.
 *
 * The second argument is written by the hotclass build transform (module id, field initialisers);
 * user code passes at most the options.
 * @example
 * @reloadable()
 * export class Enemy extends Entity {
 *   hp = 10
 *   update(dt: number) { this.x += this.speed * dt }
 * }
 */
export function reloadable(options: ReloadableOptions = {}, info?: TransformInfo): ReloadableDecorator {
  if (typeof options !== 'object' || options === null) {
    throw errors.badArgument('reloadable(options)', 'an options object or nothing', options)
  }
  const frozen = Object.freeze({ ...options })
  return function decorate<C extends AnyClass>(value: C, context?: ClassDecoratorContext): C {
    if (typeof value !== 'function') throw errors.badArgument('@reloadable()', 'a class', value)
    if (context !== undefined && context.kind !== 'class') {
      throw errors.badArgument('@reloadable()', 'to decorate a class', context.kind)
    }
    if (isProduction()) return value
    const name = context?.name ?? value.name
    return define(value, name, frozen, info) as C
  }
}

function define(
  cls: AnyClass,
  name: string,
  options: Readonly<ReloadableOptions>,
  info: TransformInfo | undefined,
): AnyClass {
  const key = keyOf(name, options, info)
  const existing = recordByKey(key)
  const txn = openTransaction()

  if (!existing) {
    const record = createRecord(key, cls, options, info)
    if (record.name !== name) record.name = name
    register(record)
    txn?.noteCreated(record)
    return record.canonical
  }
  if (existing.current.cls === cls) return existing.canonical

  const version = versionOf(cls, existing.current.number + 1, info, options)
  if (txn) {
    txn.stage(existing, version)
    return existing.canonical
  }
  // No swap is open: the same module was evaluated again by something else (a plain re-import, the
  // host's normal HMR). Patch at once, as a transaction of its own. Without a module id two classes
  // that merely share a name would be merged: refuse that instead.
  if (!info?.module && options.id === undefined) throw errors.duplicateKey(key)
  log('implicit swap of %s', key)
  const own = new Transaction()
  own.stage(existing, version)
  commit(own, 'swap', [existing.module ?? key], now())
  return existing.canonical
}
