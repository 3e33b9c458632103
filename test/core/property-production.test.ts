import fc from 'fast-check'
import { afterAll, describe, expect, test } from 'vitest'
import { classList, classSource, observedKeys, observedStatics, prelude } from '../helpers/class-source.ts'
import type { ClassSpec } from '../helpers/class-source.ts'
import { observeClasses, view } from '../helpers/observe.ts'
import { propertyOptions } from '../helpers/runs.ts'
import { scenario } from '../helpers/scenario.ts'

/**
 * Production equivalence: before any swap, a class marked `@reloadable()` behaves exactly like the same
 * class with the decorator inert, which is what ships (`vite build` resolves `hotclass` to src/prod.ts,
 * whose decorator is the identity). Random class sources are loaded three ways: through hotclass, with
 * the `@reloadable()` line removed, and with `reloadable` imported from src/prod.ts; everything a
 * program can observe must agree (see observe.ts for the one thing left out, and why).
 */

const s = scenario('production')
afterAll(() => s.cleanup())

type Variant = 'hot' | 'removed' | 'prod'

/**
 * What only a cold load may have (a swap refuses them on classes with live instances): an instance
 * `#private` field read by a method, and an instance auto-accessor.
 */
interface ColdOnly {
  priv: boolean
  accessor: boolean
}
const coldOnly: fc.Arbitrary<ColdOnly> = fc.record({ priv: fc.boolean(), accessor: fc.boolean() })
const cases = classList.chain((classes) => fc.tuple(fc.constant(classes), fc.tuple(...classes.map(() => coldOnly))))
const keys = [...observedKeys, 'peek', 'acc']

function source(classes: ClassSpec[], extras: ColdOnly[], variant: Variant, prodPath: string): string {
  const importLine =
    variant === 'prod' ? `import { reloadable } from '${prodPath}'` : `import { reloadable } from 'HOTCLASS'`
  const decorator = variant === 'removed' ? '' : '@reloadable()'
  const body = classes.map((c, i) => {
    const e = extras[i]!
    const extra = [
      ...(e.priv ? [`#secret = ${c.tag}; peek(): number { return this.#secret };`] : []),
      ...(e.accessor ? [`accessor acc = ${c.tag};`] : []),
    ]
    return classSource(c, `C${i}`, c.base >= 0 ? `C${c.base}` : undefined, decorator).replace(
      /(export class C\d+[^{]*\{)/,
      `$1\n  ${extra.join('\n  ')}`,
    )
  })
  return `${prelude(importLine)}void reloadable\n${body.join('\n')}\n`
}

async function observeModule(file: string, n: number): Promise<unknown> {
  const mod = await s.load<Record<string, any>>(file)
  const classes = Array.from({ length: n }, (_, i) => [`C${i}`, mod[`C${i}`]] as const)
  const names = new Map<unknown, string>(classes.map(([name, C]) => [C, name]))
  const observed = await observeClasses(classes, names, (C) => new C(7, 8), keys, observedStatics)
  // Everything the class bodies registered, and a second look at each class after the first one used it.
  return {
    observed,
    registry: view(mod['registry'], names),
    again: await observeClasses(classes, names, (C) => new C(), keys, observedStatics),
  }
}

/**
 * TypeScript emits `design:paramtypes` only for a class that has a decorator, so removing the
 * `@reloadable()` line changes that one key by the language's own rule; it is dropped from the
 * removed-line comparison only (the production entry keeps the decorator and is compared in full).
 */
function withoutParamTypes(seen: unknown): unknown {
  if (Array.isArray(seen))
    return seen
      .filter((x) => !(x === 'design:paramtypes' || (Array.isArray(x) && x[0] === 'design:paramtypes')))
      .map(withoutParamTypes)
  if (typeof seen !== 'object' || seen === null) return seen
  return Object.fromEntries(Object.entries(seen).map(([k, v]) => [k, withoutParamTypes(v)]))
}

let run = 0

describe('a reloadable class behaves like the same class with the decorator inert', () => {
  test('random classes: hotclass, decorator removed, production entry', async () => {
    const prodPath = s.core.replace(/index\.ts$/, 'prod.ts')
    await fc.assert(
      fc.asyncProperty(cases, async ([classes, extras]) => {
        const id = ++run
        const seen: Record<string, unknown> = {}
        for (const variant of ['hot', 'removed', 'prod'] as const) {
          const file = `prod-${id}-${variant}.ts`
          s.write(file, source(classes, extras, variant, prodPath))
          seen[variant] = await observeModule(file, classes.length)
        }
        expect(seen['hot']).toEqual(seen['prod'])
        expect(withoutParamTypes(seen['removed'])).toEqual(withoutParamTypes(seen['prod']))
      }),
      propertyOptions(60),
    )
  }, 300_000)
})
