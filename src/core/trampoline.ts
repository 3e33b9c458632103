import { now } from './env.ts'
import { noteInstance } from './instances.ts'
import type { AnyClass } from './types.ts'

/** The canonical class of a record and the switch that points its construction at a new version. */
export interface Trampoline {
  canonical: AnyClass
  /**
   * Point `new canonical()` at another version's constructor. `root` says whether this class is the
   * root-most reloadable class of the objects it builds (its version extends nothing reloadable), so
   * that exactly one trampoline per construction remembers the object.
   */
  setImpl(impl: AnyClass, root: boolean): void
  /** Whether tracking stopped because the class makes objects faster than `CHURN_PER_SECOND`. */
  churning(): boolean
}

/**
 * A class that makes objects faster than this (bullets, particles) stops being tracked: each tracked
 * object is held to the end of its task and its `WeakRef` lets go only in a full collection (measured:
 * 0.5-0.9 µs a construction, and a heap of 0.35-1.3 GB for a loop of short-lived objects). Its swaps
 * then name the fields live instances made since did not get, as `track: false` does.
 */
export const CHURN_PER_SECOND = 20_000
const CHURN_SAMPLE = 4096

/** What one version's construction needs, replaced as a whole on every swap (never assigned field by field). */
interface Target {
  impl: AnyClass
  track: boolean
}

/**
 * Build the canonical class: the one object that keeps its identity forever, whose `new` constructs
 * through the current implementation with `new.target` passed on, so new instances run the newest
 * constructor and field initialisers while their prototype stays the canonical one.
 *
 * It is written as a *derived* class on purpose. Measured on node 20: when `Reflect.construct` gets a
 * `newTarget` that is not a derived class constructor (a plain function, or a base class), V8 gives
 * every object its own hidden class: construction and method calls became ~100x slower. As a derived
 * class, instances share one map and both costs stay close to a plain class. Root classes get their
 * static [[Prototype]] reset to `Function.prototype` afterwards, so `Object`'s statics do not leak in.
 *
 * The current target is the [[Prototype]] of a private holder object rather than a `let`. Measured on
 * node 20: with a reassignable binding TurboFan cannot know the construct target and `new` costs ~3x a
 * plain class; a load through the prototype of a stable map is constant-folded (with a map dependency
 * that deoptimises on the next swap), so the current constructor is inlined.
 *
 * `tracked` classes remember each object they are the root-most reloadable class of (instances.ts), so
 * a swap can reach live objects; `@reloadable({ track: false })` builds a trampoline that never does.
 */
export function createTrampoline(first: AnyClass, name: string, tracked: boolean, root: boolean): Trampoline {
  const holder: object = Object.create({ impl: first, track: tracked && root } satisfies Target) as object
  const parent = Object.getPrototypeOf(first) as AnyClass | null
  const isRoot = parent === Function.prototype || parent === null
  const Base = (isRoot ? Object : parent) as new (...args: unknown[]) => object
  const protoParent = Object.getPrototypeOf(first.prototype) as object | null

  // The constructors return the object the current version built instead of calling `super()`:
  // a derived constructor may do that, and it is what keeps the canonical class a trampoline.
  // Counted in samples of CHURN_SAMPLE constructions: one clock read per sample, not per object.
  const meter = { count: 0, since: now(), stopped: false }
  const sample = (): void => {
    const t = now()
    if ((CHURN_SAMPLE / Math.max(t - meter.since, 1e-3)) * 1000 > CHURN_PER_SECOND) meter.stopped = true
    meter.since = t
  }
  const canonical =
    compiledTrampoline(Base, holder, tracked ? { meter, note: noteInstance, sample } : undefined) ??
    (tracked
      ? class extends Base {
          // @ts-expect-error TS2377: no super() on purpose, see above
          // oxlint-disable-next-line constructor-super
          constructor(...args: unknown[]) {
            const target = Object.getPrototypeOf(holder) as Target
            const instance = Reflect.construct(target.impl, args, new.target) as object
            if (target.track && !meter.stopped) {
              noteInstance(instance)
              if ((++meter.count & (CHURN_SAMPLE - 1)) === 0) sample()
            }
            return instance
          }
        }
      : class extends Base {
          // @ts-expect-error TS2377: no super() on purpose, see above
          // oxlint-disable-next-line constructor-super
          constructor(...args: unknown[]) {
            return Reflect.construct((Object.getPrototypeOf(holder) as Target).impl, args, new.target) as object
          }
        })

  if (isRoot) Object.setPrototypeOf(canonical, Function.prototype)
  // `class X extends null` and plain roots: instances inherit what the first version's instances did.
  if (Object.getPrototypeOf(canonical.prototype) !== protoParent)
    Object.setPrototypeOf(canonical.prototype, protoParent)
  Object.defineProperty(canonical, 'name', { value: name, configurable: true })
  Object.defineProperty(canonical, 'length', { value: first.length, configurable: true })

  return {
    canonical: canonical as unknown as AnyClass,
    setImpl(impl, isRootMost) {
      const current = Object.getPrototypeOf(holder) as Target
      const track = tracked && isRootMost
      if (current.impl !== impl || current.track !== track) Object.setPrototypeOf(holder, { impl, track })
    },
    churning: () => meter.stopped,
  }
}

/** Trampolines compiled so far: each one's source text carries its number (see `compiledTrampoline`). */
let compiled = 0

/**
 * The canonical class compiled on its own, the same constructor as the literal ones above. One class
 * literal shared by every record gave all of them one feedback vector and no constant `holder`: at a
 * site that constructs several classes (`new kinds[i]()`, a factory), where V8 calls the trampoline
 * rather than inlining it, the construct inside it saw every class's version and was not inlined
 * either (1.5-1.6x a plain \`new\`, bench/hotpath.bench.ts). Compiled per class, with its own source
 * text (V8 caches compiled code by source), each trampoline has its own feedback and V8 folds its
 * holder's target. Undefined where the page forbids compiling code (a CSP without 'unsafe-eval').
 */
function compiledTrampoline(
  Base: new (...args: unknown[]) => object,
  holder: object,
  tracking: { meter: { count: number; stopped: boolean }; note: (o: object) => void; sample: () => void } | undefined,
): AnyClass | undefined {
  const track = tracking
    ? `if (target.track && !meter.stopped) { note(instance); if ((++meter.count & ${CHURN_SAMPLE - 1}) === 0) sample() } `
    : ''
  try {
    // oxlint-disable-next-line no-new-func -- one trampoline per reloadable class, compiled once at its definition
    const make = new Function(
      'Base',
      'holder',
      'meter',
      'note',
      'sample',
      `"use strict"; return class extends Base { /* trampoline ${++compiled} */ constructor(...args) { const target = Object.getPrototypeOf(holder); const instance = Reflect.construct(target.impl, args, new.target); ${track}return instance } }`,
    ) as (
      Base: new (...args: unknown[]) => object,
      holder: object,
      meter: unknown,
      note: unknown,
      sample: unknown,
    ) => AnyClass
    return make(Base, holder, tracking?.meter, tracking?.note, tracking?.sample)
  } catch {
    return undefined
  }
}
