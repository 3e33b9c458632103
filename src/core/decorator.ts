import { isProduction } from './env.ts'
import { errors } from './errors.ts'
import { closeClass, defineUntransformed, openDefinition, tagOptions } from './define.ts'
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
    return defineUntransformed(value, context?.name ?? info?.name ?? value.name, frozen, info) as C
  }
  return tagOptions(decorate, frozen)
}
