/**
 * Live instances of reloadable classes, so a swap can give them the fields a new version adds as real
 * own properties (what a fresh object of the final version has) and run `migrate` on them.
 *
 * Construction only pushes the object onto an array: a `WeakRef` costs ~0.1 µs, several times a small
 * `new`, so references are made in one batch at the end of the task (a microtask), off the game's
 * construction sites. Until then the batch holds its objects strongly: a temporary made and dropped in
 * one frame lives to the end of that frame's task, no longer. A very long task flushes every
 * `FLUSH_AT` objects so the batch stays bounded.
 */

const FLUSH_AT = 1 << 16

const batch: object[] = []
const refs: Array<WeakRef<object>> = []
/** Live references after the last prune: the list is pruned again once it doubles. */
let liveAfterPrune = 0

/** Remember a new instance. Called by the trampoline of the root-most reloadable class of each object. */
export function noteInstance(instance: object): void {
  const n = batch.push(instance)
  if (n === 1) queueMicrotask(flushInstances)
  else if (n >= FLUSH_AT) flushInstances()
}

/** Turn the batch into weak references now (a swap does this before it looks at instances). */
export function flushInstances(): void {
  if (batch.length === 0) return
  for (const o of batch) refs.push(new WeakRef(o))
  batch.length = 0
  if (refs.length > 2 * liveAfterPrune + 1024) prune()
}

function prune(): void {
  let w = 0
  for (const ref of refs) if (ref.deref() !== undefined) refs[w++] = ref
  refs.length = w
  liveAfterPrune = w
}

/** Every live tracked object whose prototype chain reaches `proto` (instances of a class and its subclasses). */
export function instancesOf(proto: object): object[] {
  flushInstances()
  const out: object[] = []
  const seen = new Set<object>()
  for (const ref of refs) {
    const o = ref.deref()
    if (o === undefined || seen.has(o)) continue
    seen.add(o)
    if (Object.prototype.isPrototypeOf.call(proto, o)) out.push(o)
  }
  return out
}
