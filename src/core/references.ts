import { reachesInstances, recordOf } from './registry.ts'
import type { ClassRecord } from './registry.ts'
import { isPlainObject } from './plain-object.ts'

/**
 * Method references that follow swaps. Game code hands its methods out (`ticker.add(this.update, this)`,
 * `this.onMatch.bind(this)`, `addEventListener('keydown', this.onKey)`, `setInterval(this.decay.bind(this))`)
 * and the holder keeps the function it was given. The transform wraps every member read in such a
 * position in `__ref(...)`: a method of a reloadable class comes back as a forwarder that calls whatever
 * the class holds under that key now, one forwarder per class and key, so the function a holder was
 * given and the one the code passes later to `off()` or `removeEventListener()` are the same object.
 *
 * Calls through the prototype (`obj.update()`) never meet a forwarder: the prototype holds the methods
 * themselves, so they cost what a plain class's do. Only handed-out references pay the extra hop.
 */

interface MethodSite {
  record: ClassRecord
  key: PropertyKey
  isStatic: boolean
}

const sites = new WeakMap<Function, MethodSite>()
/** Per class, its forwarders by key: prototype methods, then static ones (a symbol is its own key). */
const forwarders = new WeakMap<ClassRecord, [Map<PropertyKey, Function>, Map<PropertyKey, Function>]>()

/** Remember where each method of a version is installed, so a reference to it can be redirected. */
export function noteMethods(
  record: ClassRecord,
  members: Iterable<[PropertyKey, PropertyDescriptor]>,
  isStatic: boolean,
): void {
  for (const [key, desc] of members) {
    if ('value' in desc && typeof desc.value === 'function' && !sites.has(desc.value))
      sites.set(desc.value, { record, key, isStatic })
  }
}

function forwarderFor(site: MethodSite, first: Function): Function {
  let tables = forwarders.get(site.record)
  if (!tables) forwarders.set(site.record, (tables = [new Map(), new Map()]))
  const table = tables[site.isStatic ? 1 : 0]
  const key = site.key
  const known = table.get(key)
  if (known) return known
  const home = (site.isStatic ? site.record.canonical : site.record.canonical.prototype) as Record<PropertyKey, unknown>
  const name = typeof key === 'symbol' ? `[${key.description ?? ''}]` : String(key)
  const target = targetFor(site, home)
  const forwarder =
    compiledForwarder(name, first, home, key, target) ??
    withLength(forwarding(name, first, shared(home, key, target, first)), first.length)
  sites.set(forwarder, site)
  table.set(key, forwarder)
  return forwarder
}

/**
 * What a forwarder calls, worked out again whenever the class's slot holds something new (a swap, a
 * rollback, a decorator): the method itself when the slot holds one (or, once the class dropped its own,
 * the base's it now inherits); else the current version's own method, undecorated. A decorator that wraps
 * the method (`@log`, `@throttle`: `const inner = d.value; d.value = function () { ... inner.call(this) }`)
 * was handed this forwarder as `inner`: calling the slot, the wrapper, from it would recurse for ever.
 * Else the last target: a method removed keeps running for its holders.
 */
function targetFor(site: MethodSite, home: object): (now: unknown, last: Function) => Function {
  return (now, last) => {
    const at = typeof now === 'function' ? sites.get(now) : undefined
    // Another class's method counts only inherited (the class dropped its own), not copied onto this
    // class by the program (`A.prototype.hello = M.prototype.hello`, a late mixin): plain holders keep A's.
    if (
      at !== undefined &&
      at.key === site.key &&
      at.isStatic === site.isStatic &&
      (at.record === site.record || !Object.hasOwn(home, site.key))
    )
      return now as Function
    const version = site.record.current.cls as unknown as Record<PropertyKey, unknown>
    const own = Object.getOwnPropertyDescriptor(site.isStatic ? version : (version['prototype'] as object), site.key)
    return own && typeof own.value === 'function' ? (own.value as Function) : last
  }
}

/** A forwarder's body where compiling one is not allowed (a CSP without 'unsafe-eval'). */
function shared(
  home: Record<PropertyKey, unknown>,
  key: PropertyKey,
  target: (now: unknown, last: Function) => Function,
  first: Function,
): (this: unknown, args: unknown[]) => unknown {
  let seen: unknown = first
  let last = first
  return function (this: unknown, args: unknown[]): unknown {
    const now = home[key]
    if (now !== seen) {
      seen = now
      last = target(now, last)
    }
    return Reflect.apply(last, this, args)
  }
}

function withLength(fn: Function, length: number): Function {
  Object.defineProperty(fn, 'length', { value: length, configurable: true })
  return fn
}

/** Forwarders compiled so far: each one's source text carries its number (see `compiledForwarder`). */
let compiled = 0

/**
 * A plain method's forwarder compiled on its own, with the method's arity in its parameter list: its own
 * feedback and a `length` it never redefines. Measured through a ticker or `bind` (bench/hotpath.bench.ts,
 * `calls`): 1.0-1.1x a direct call before and after 50 swaps, against 3.1-3.3x for one shared closure
 * whose `length` is redefined. Undefined
 * where the page forbids compiling code (a CSP without 'unsafe-eval'), or for other kinds of method.
 * What it calls: see `targetFor`.
 */
function compiledForwarder(
  name: string,
  like: Function,
  home: Record<PropertyKey, unknown>,
  key: PropertyKey,
  target: (now: unknown, last: Function) => Function,
): Function | undefined {
  if (Object.getPrototypeOf(like) !== Function.prototype) return undefined
  const arity = like.length
  const params = Array.from({ length: arity }, (_, i) => `a${i}`).join(', ')
  const method = JSON.stringify(name)
  // A string key is read by name (`h["update"]`): V8 folds a named load from the prototype even after
  // swaps have given it many maps, where a keyed load (`h[k]`) goes megamorphic and is not folded.
  const slot = typeof key === 'string' ? JSON.stringify(key) : 'k'
  try {
    // oxlint-disable-next-line no-new-func -- one forwarder per method, compiled once, on a hand-out
    const make = new Function(
      'home',
      'key',
      'target',
      'first',
      'quick',
      // The slot holding the method itself (the usual case) is called as read: V8 folds the load from the
      // class's prototype (swaps delete and re-add members, so the prototype comes back with fresh
      // constant fields) and inlines the method, whatever other versions the call site saw before. With
      // its parameters as listed, when the method cannot tell how many arguments it got (`quickCall`):
      // `arguments.length` alone cost a ticker 0.7 ns a call. Each forwarder's own source text (the
      // counter): V8 caches compiled code by source, and two classes' `update` forwarders sharing one
      // would share their feedback.
      `"use strict"; /* forwarder ${++compiled} */ const h = home; const k = key; const q = {}; let seen = first; let last = first; quick(q, first); return { ${method}(${params}) { const now = h[${slot}]; if (now === q.f) return now.call(this${params ? `, ${params}` : ''}); if (now !== seen) { seen = now; last = target(now, last); quick(q, last) } return Reflect.apply(last, this, arguments) } }[${method}]`,
    ) as (
      home: Record<PropertyKey, unknown>,
      key: PropertyKey,
      target: (now: unknown, last: Function) => Function,
      first: Function,
      quick: (q: { f?: unknown }, fn: Function) => void,
    ) => Function
    return make(home, key, target, like, (q, fn) => quickCall(q, paddingUnseen(fn, arity) ? fn : q))
  } catch {
    return undefined
  }
}

/**
 * Set what a forwarder may call as read, with its own parameters (`q.f`): the target when its parameters
 * allow (`paddingUnseen`), else `q` itself, which no slot ever holds. The object is a prototype whose
 * field is deleted and added again, so V8 makes it fast again with a fresh constant field and folds
 * `now === q.f` in the forwarder (a `let` compared there cost a bound call 5-10%: bench/hotpath.bench.ts).
 */
function quickCall(q: { f?: unknown }, value: unknown): void {
  delete q.f
  q.f = value
  Object.create(q)
}

/**
 * Whether `fn` behaves the same called with exactly `arity` arguments, missing ones `undefined` and extra
 * ones dropped: at most `arity` plain parameters (no default, rest or destructuring) and no `arguments`.
 * Read from its source; anything unclear counts as no.
 */
function paddingUnseen(fn: Function, arity: number): boolean {
  const src = Function.prototype.toString.call(fn)
  const open = src.indexOf('(')
  if (open < 0 || src.lastIndexOf('[', open) >= 0) return false
  let depth = 0
  let close = -1
  for (let i = open; i < src.length && close < 0; i++) {
    if (src[i] === '(') depth++
    else if (src[i] === ')' && --depth === 0) close = i
  }
  if (close < 0) return false
  const list = src.slice(open + 1, close)
  if (/[=.[{'"`/]/.test(list)) return false
  const count = list.split(',').filter((p) => p.trim() !== '').length
  return count <= arity && !/\barguments\b/.test(src.slice(close))
}

const AsyncFunction = Object.getPrototypeOf(async () => {}) as object
const GeneratorFunction = Object.getPrototypeOf(function* () {}) as object
const AsyncGeneratorFunction = Object.getPrototypeOf(async function* () {}) as object

/** What a generator forwarder delegates to: the iterator a version's method returned, or a one-value one. */
function* delegate(made: unknown): Generator<unknown, unknown, unknown> {
  if (typeof (made as Iterable<unknown> | null)?.[Symbol.iterator] === 'function')
    return yield* made as Iterable<unknown>
  return made
}

async function* delegateAsync(made: unknown): AsyncGenerator<unknown, unknown, unknown> {
  const m = made as AsyncIterable<unknown> & Iterable<unknown>
  if (typeof m?.[Symbol.asyncIterator] === 'function' || typeof m?.[Symbol.iterator] === 'function') return yield* m
  return await made
}

/**
 * A forwarder for methods like `like`, of the same kind, so code that tells kinds apart
 * (`fn.constructor.name === 'AsyncFunction'`, as task runners do to decide whether to await; a
 * `GeneratorFunction` check in a coroutine scheduler) sees what it would see in production. A method's
 * has no `prototype` and is not a constructor; a generator's is a generator that delegates (`yield*`) to
 * what the method makes when first resumed, so a swap before that runs the new body. If a later version is
 * of another kind, holders get its result as that kind: a promise of it, or a generator that returns it.
 * `call` gets `this` and the arguments.
 */
function forwarding(name: string, like: Function, call: (this: unknown, args: unknown[]) => unknown): Function {
  const kind = Object.getPrototypeOf(like) as object
  if (kind === AsyncFunction)
    return {
      async [name](this: unknown, ...args: unknown[]): Promise<unknown> {
        return call.call(this, args)
      },
    }[name]!
  if (kind === GeneratorFunction)
    return {
      *[name](this: unknown, ...args: unknown[]): Generator<unknown, unknown, unknown> {
        return yield* delegate(call.call(this, args))
      },
    }[name]!
  if (kind === AsyncGeneratorFunction)
    return {
      async *[name](this: unknown, ...args: unknown[]): AsyncGenerator<unknown, unknown, unknown> {
        return yield* delegateAsync(call.call(this, args))
      },
    }[name]!
  return {
    [name](this: unknown, ...args: unknown[]): unknown {
      return call.call(this, args)
    },
  }[name]!
}

/**
 * What the transform wraps around a member read that hands a value out. A method of a reloadable class
 * becomes its forwarder; anything else comes back unchanged. Not for users.
 */
// oxlint-disable-next-line no-underscore-dangle -- the name the transform emits
export function __ref<T>(value: T, at?: string): T {
  if (typeof value !== 'function') return value
  const site = sites.get(value)
  if (site) return forwarderFor(site, value) as T
  // Not a reloadable method: if it is a method of some other class, a swap of that class's module
  // cannot redirect it. Remember where it was handed out, to name it then (handedOutAt).
  if (at !== undefined && !handedOut.has(value)) handedOut.set(value, at)
  return value
}

/** Where a function that no forwarder stands for was handed out (its module), by function. */
const handedOut = new WeakMap<Function, string>()

/**
 * Warnings for the methods of a class that a swap replaced without patching it (a plain class in a
 * swapped module gets a new identity): each method handed out earlier keeps running the old code.
 */
export function staleHandOuts(cls: Function): string[] {
  const out: string[] = []
  const look = (owner: object, label: string): void => {
    for (const key of Reflect.ownKeys(owner)) {
      const desc = Object.getOwnPropertyDescriptor(owner, key)
      const at = desc && 'value' in desc && typeof desc.value === 'function' ? handedOut.get(desc.value) : undefined
      if (at)
        out.push(
          `${cls.name}.${label}${String(key)} was handed out in ${at} and keeps running the old code: ${cls.name} is not reloadable (mark it @reloadable())`,
        )
    }
  }
  look((cls as { prototype?: object }).prototype ?? {}, '')
  look(cls, 'static ')
  return out
}

/** A function a field initialiser made (an arrow-function field, an entry of a handler table), per instance. */
const fieldFunctions = new WeakMap<Function, { v: Function }>()

/**
 * What the transform wraps around each function a reloadable class's field initialiser makes
 * (`onHit = () => this.hit()`, `messages = { move: (client, m) => ... }`): the instance holds a forwarder,
 * so when a swap re-evaluates a changed initialiser, the forwarder every holder was given (an emitter,
 * Colyseus' message table) runs the new function, and `off(evt, this.onHit)` still finds it. Not for users.
 */
// oxlint-disable-next-line no-underscore-dangle -- the name the transform emits
export function __fn<F extends Function>(fn: F, key?: string, instance?: object, field?: string): F {
  const cell = { v: fn as Function }
  // The function is an argument here, so it has no name of its own; in the field it was named after it.
  const name = fn.name || (key ?? '')
  const lazy = instance !== undefined && field !== undefined ? followFields(instance, field) : undefined
  const forwarder = forwarding(
    name,
    fn,
    lazy
      ? function (this: unknown, args: unknown[]): unknown {
          if (lazy.record.current.fields !== lazy.fields) refresh(lazy)
          return Reflect.apply(cell.v, this, args)
        }
      : function (this: unknown, args: unknown[]): unknown {
          return Reflect.apply(cell.v, this, args)
        },
  )
  Object.defineProperty(forwarder, 'length', { value: fn.length, configurable: true })
  fieldFunctions.set(forwarder, cell)
  return forwarder as unknown as F
}

/**
 * A field function of an instance no swap reaches (its class has `track: false`, or made objects too
 * fast to be tracked): it catches up itself, on its first call after its class's field initialisers
 * changed, by evaluating the new initialiser for its instance and retargeting the field (issue 10: arrow
 * fields are re-created whatever `track` says).
 */
interface FieldFollower {
  instance: object
  field: string
  record: ClassRecord
  fields: ClassRecord['current']['fields']
}

/** Per prototype, the record whose class declares each field (looked up once per class and field). */
const declaring = new WeakMap<object, Map<string, ClassRecord | null>>()

function followFields(instance: object, field: string): FieldFollower | undefined {
  const proto = Object.getPrototypeOf(instance) as object | null
  if (!proto) return undefined
  let byField = declaring.get(proto)
  if (!byField) declaring.set(proto, (byField = new Map()))
  let record = byField.get(field)
  if (record === undefined) {
    record = null
    for (let p: object | null = proto; p; p = Object.getPrototypeOf(p) as object | null) {
      const r = Object.hasOwn(p, 'constructor') ? recordOf((p as { constructor: object }).constructor) : undefined
      if (r?.current.fields && Object.hasOwn(r.current.fields, field)) {
        record = r
        break
      }
    }
    byField.set(field, record)
  }
  return record ? { instance, field, record, fields: record.current.fields } : undefined
}

function refresh(f: FieldFollower): void {
  const was = f.fields
  const now = f.record.current.fields
  f.fields = now
  // A tracked class's swaps retarget its instances' fields themselves (core/fields.ts).
  if (reachesInstances(f.record)) return
  const before = was && Object.hasOwn(was, f.field) ? was[f.field] : undefined
  const after = now && Object.hasOwn(now, f.field) ? now[f.field] : undefined
  if (!before || !after || String(before) === String(after)) return
  const own = Object.getOwnPropertyDescriptor(f.instance, f.field)
  if (own && 'value' in own) retargetFieldFunctions(own.value, after.call(f.instance), [])
}

/** Whether `value` is a function a field initialiser made (a `__fn` forwarder), not one the program put there. */
export function isFieldFunction(value: unknown): boolean {
  return typeof value === 'function' && fieldFunctions.has(value)
}

/**
 * Point the field functions of a live value at those of a freshly evaluated one, keeping the live
 * objects: a forwarder takes the new function; a handler table takes new entries, drops removed ones and
 * retargets the rest. Returns false when the values are not of that shape (the caller replaces the value).
 * `undo` receives what puts everything back.
 */
export function retargetFieldFunctions(live: unknown, fresh: unknown, undo: Array<() => void>): boolean {
  if (typeof live === 'function' && typeof fresh === 'function') {
    const from = fieldFunctions.get(live)
    const to = fieldFunctions.get(fresh)
    if (!from || !to) return false
    const old = from.v
    from.v = to.v
    undo.push(() => void (from.v = old))
    return true
  }
  if (!isPlainObject(live) || !isPlainObject(fresh)) return false
  const table = live as Record<string, unknown>
  const next = fresh as Record<string, unknown>
  for (const key of Object.keys(next)) {
    const value = next[key]
    if (key in table && retargetFieldFunctions(table[key], value, undo)) continue
    // An entry the game set (`handlers.move = custom`) is its state, not the class's code.
    if (typeof table[key] === 'function' && !fieldFunctions.has(table[key] as Function)) continue
    const had = Object.getOwnPropertyDescriptor(table, key)
    table[key] = value
    undo.push(() => (had ? Object.defineProperty(table, key, had) : Reflect.deleteProperty(table, key)))
  }
  for (const key of Object.keys(table)) {
    if (key in next || typeof table[key] !== 'function' || !fieldFunctions.has(table[key] as Function)) continue
    const had = Object.getOwnPropertyDescriptor(table, key)!
    Reflect.deleteProperty(table, key)
    undo.push(() => Object.defineProperty(table, key, had))
  }
  return true
}
