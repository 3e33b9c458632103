import { isProduction } from './env.ts'
import { errors } from './errors.ts'
import { closeClass, defineUntransformed, openDefinition, replacedDefinition, tagOptions } from './define.ts'
import { warnOnce } from './warnings.ts'
import type { AnyClass, ReloadableOptions, TransformInfo } from './types.ts'

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
 * With the hotclass transform (the Vite plugin, which the Node host and Vitest use too), the class body
 * itself sees the live class: `static instance = new Game()` builds a live object. The second argument
 * is written by the transform on toolchains that call the decorator directly; user code passes at most
 * the options.
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
  const decorate = function decorate<C extends AnyClass>(value: C, context?: ClassDecoratorContext): C {
    if (typeof value !== 'function') throw errors.badArgument('@reloadable()', 'a class', value)
    if (context !== undefined && context.kind !== 'class') {
      throw errors.badArgument('@reloadable()', 'to decorate a class', context.kind)
    }
    if (isProduction()) return value
    // The transform opened the definition at the top of the class body; the decorator, applied after
    // the body and the decorators written below it, closes it.
    const open = openDefinition(value)
    if (open) return closeClass(open) as C
    const replaced = replacedDefinition(decorate)
    if (replaced) {
      // A class decorator below `@reloadable()` returned another class (`class extends C {}`): as in plain
      // code, the binding gets what it returned. The declared class is live and swapped; the returned one
      // extends it, so its objects run new code, but each swap makes another (instanceof across swaps fails).
      replaced.next.replacedByDecorator = true
      const live = closeClass(replaced)
      warnOnce(
        'HOTCLASS_CLASS_REPLACED',
        replaced.record.key,
        `${replaced.record.name} (${replaced.record.module ?? 'no module'}): a class decorator written below @reloadable() returned another class; the binding holds it, as in plain code, and each swap makes a new one. Write @reloadable() below that decorator to keep one live class.`,
      )
      return (value === live ? live : value) as C
    }
    return defineUntransformed(value, context?.name ?? info?.name ?? value.name, frozen, info) as C
  }
  return tagOptions(decorate, frozen)
}
