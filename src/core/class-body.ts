import { isProduction } from './env.ts'
import {
  assignStatic,
  classDecorators,
  closedBy,
  defineStatic,
  openClass,
  optionsOf,
  privateStatic,
  runBlock,
  wantStatic,
} from './define.ts'
import type { AnyClass, TransformInfo } from './types.ts'

/**
 * What the hotclass transform writes into the body of a reloadable class. Not for users.
 *
 * `open` runs in the first static block, right after the class's methods exist and before any static
 * initialiser: it returns the canonical class, which the body's self-references and `this` in static
 * initialisers are rewritten to, so `static instance = new Game()` builds a live object and a static
 * block registers the live class. In production the decorator is the identity, and so is `open`.
 */
// oxlint-disable-next-line no-underscore-dangle -- the name the transform emits
export const __class = {
  open(cls: AnyClass, decorator: unknown, info: TransformInfo): AnyClass {
    if (isProduction()) return cls
    const d = openClass(cls, optionsOf(decorator), info, true)
    closedBy(decorator, d)
    return d.record.canonical
  },
  decorators: classDecorators,
  want: wantStatic,
  define: defineStatic,
  assign: assignStatic,
  block: runBlock,
  private: privateStatic,
}
