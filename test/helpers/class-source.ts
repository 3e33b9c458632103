import fc from 'fast-check'

/**
 * Random reloadable classes as real TypeScript source: members of every kind (methods, accessors,
 * fields, arrow fields, async and generator methods, statics, symbol keys), static data of every type,
 * static initialisers and blocks that construct or register the class, reflect-metadata on the class
 * and its members, constructors of any arity. Shared by the property tests, which write these sources
 * as modules and load them through the real plugin transform.
 */

export const KEYS = ['a', 'b', 'c', 'SYM'] as const
export type Key = (typeof KEYS)[number]
/** `SYM` is `Symbol.for('hc.sym')`: the same symbol in every module, so two loads compare by key. */
export const keyOf = (k: Key): PropertyKey => (k === 'SYM' ? Symbol.for('hc.sym') : k)
const src = (k: Key) => (k === 'SYM' ? '[SYM]' : k)
const superRead = (k: Key) => (k === 'SYM' ? 'super[SYM]' : `super.${k}`)

export const MEMBER_KINDS = ['method', 'getter', 'setter', 'pair', 'field', 'arrow', 'async', 'generator'] as const
export type MemberKind = (typeof MEMBER_KINDS)[number]
export const STATIC_KINDS = ['method', 'getter', 'data', 'async', 'generator'] as const
export type StaticKind = (typeof STATIC_KINDS)[number]
export const DATA_TYPES = ['number', 'string', 'array', 'object', 'map', 'set', 'instance', 'function'] as const
export type DataType = (typeof DATA_TYPES)[number]

export interface Member {
  kind: MemberKind
  tag: number
  callsSuper: boolean
  meta: boolean
}
export interface StaticMember {
  kind: StaticKind
  tag: number
  type: DataType
  callsSuper: boolean
  meta: boolean
}

export interface ClassSpec {
  /** -1 for a root class, else the index of an earlier class. */
  base: number
  members: Partial<Record<Key, Member>>
  statics: Partial<Record<Key, StaticMember>>
  /** `@Reflect.metadata('cls', ...)` above or below `@reloadable()`. */
  classMeta: 'none' | 'above' | 'below'
  /** Constructor: none, one assigning its parameters, or TypeScript parameter properties. */
  ctor: { kind: 'none' | 'plain' | 'params'; arity: number }
  /** `static instance = new X()`. */
  instance: boolean
  /** `static { registry.push(this) }`. */
  block: boolean
  /** `static create = () => new this()`. */
  factory: boolean
  /** `static #n` counted by `static next()`, and a `static accessor level`. */
  counter: boolean
  tag: number
}

const tag = fc.integer({ min: 0, max: 3 })
const member: fc.Arbitrary<Member> = fc.record({
  kind: fc.constantFrom(...MEMBER_KINDS),
  tag,
  callsSuper: fc.boolean(),
  meta: fc.boolean(),
})
const staticMember: fc.Arbitrary<StaticMember> = fc.record({
  kind: fc.constantFrom(...STATIC_KINDS),
  tag,
  type: fc.constantFrom(...DATA_TYPES),
  callsSuper: fc.boolean(),
  meta: fc.boolean(),
})

export const some = <K extends string, V>(keys: readonly K[], value: fc.Arbitrary<V>) =>
  fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: keys.length }) as fc.Arbitrary<Partial<Record<K, V>>>

export const classSpec = (index: number): fc.Arbitrary<ClassSpec> =>
  fc.record({
    base: fc.integer({ min: -1, max: index - 1 }),
    members: some(KEYS, member),
    statics: some(KEYS, staticMember),
    classMeta: fc.constantFrom('none', 'above', 'below'),
    ctor: fc.record({ kind: fc.constantFrom('none', 'plain', 'params'), arity: fc.integer({ min: 0, max: 2 }) }),
    instance: fc.boolean(),
    block: fc.boolean(),
    factory: fc.boolean(),
    counter: fc.boolean(),
    tag,
  })

/** One to three classes, each extending nothing or an earlier one. */
export const classList = fc
  .integer({ min: 1, max: 3 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => classSpec(i))))

/**
 * Metadata on a field or an accessor is layout (core/layout.ts): a swap that changes it is refused on
 * purpose (HOTCLASS_LAYOUT_CHANGED: frameworks such as Colyseus cache it). Properties whose versions must
 * swap (or fail for another reason first) decorate only methods; fault injection refuses a layout change
 * on purpose.
 */
export function withoutFieldMetadata(members: ClassSpec['members']): ClassSpec['members'] {
  const out: ClassSpec['members'] = {}
  for (const [k, m] of Object.entries(members) as Array<[Key, Member]>)
    out[k] = ['method', 'async', 'generator'].includes(m.kind) ? m : { ...m, meta: false }
  return out
}

/** Static data declarations of every type, by tag (the tag is what an edit changes). */
export function dataSource(type: DataType, t: number): string {
  switch (type) {
    case 'number':
      return `${t}`
    case 'string':
      return `'s${t}'`
    case 'array':
      return `[${t}]`
    case 'object':
      return `{ v: ${t} }`
    case 'map':
      return `new Map<string, number>([['v', ${t}]])`
    case 'set':
      return `new Set<number>([${t}])`
    case 'instance':
      return `new Box(${t})`
    case 'function':
      return `(): string => 'hook${t}'`
  }
}

/** A run-time change of a static of each type, as game code would make it (`C` is the class). */
export function mutation(type: DataType, C: string, key: Key): string {
  const at = key === 'SYM' ? `${C}[SYM]` : `${C}.${key}`
  switch (type) {
    case 'number':
      return `${at} = ${at} + 100`
    case 'string':
      return `${at} = ${at} + '!'`
    case 'array':
      return `${at}.push(9)`
    case 'object':
      return `${at}.changed = true`
    case 'map':
      return `${at}.set('runtime', 1)`
    case 'set':
      return `${at}.add(99)`
    case 'instance':
      return `${at}.n += 100`
    case 'function':
      return `${at} = () => 'runtime hook'`
  }
}

/** A super chain: the base's member called (a method) or read (anything else), into the result. */
const callSuper = (k: Key, on: boolean) =>
  on
    ? ` + '<' + (typeof ${superRead(k)} === 'function' ? String(${superRead(k)}()) : String(${superRead(k)})) + '>'`
    : ''
const meta = (on: boolean, t: number) => (on ? `@Reflect.metadata('m', ${t}) ` : '')

export function memberSource(k: Key, m: Member, hasBase: boolean): string[] {
  const key = src(k)
  const sup = callSuper(k, m.callsSuper && hasBase)
  const d = meta(m.meta, m.tag)
  switch (m.kind) {
    case 'method':
      return [`${d}${key}(): string { return 'm${m.tag}'${sup} }`]
    case 'getter':
      return [`${d}get ${key}(): string { return 'g${m.tag}'${sup} }`]
    case 'setter':
      return [`${d}set ${key}(v: unknown) { void v }`]
    case 'pair':
      return [`${d}get ${key}(): unknown { return 'p${m.tag}' }`, `set ${key}(v: unknown) { void v }`]
    case 'field':
      return [`${d}${key}: number = ${m.tag}`]
    case 'arrow':
      return [`${d}${key} = (): string => 'arrow${m.tag}'`]
    case 'async':
      return [`${d}async ${key}(): Promise<string> { return 'async${m.tag}'${sup} }`]
    case 'generator':
      return [`${d}*${key}(): Generator<number> { yield ${m.tag}; yield ${m.tag + 10} }`]
  }
}

export function staticSource(k: Key, m: StaticMember, hasBase: boolean): string[] {
  const key = src(k)
  const sup = callSuper(k, m.callsSuper && hasBase)
  const d = meta(m.meta, m.tag)
  switch (m.kind) {
    case 'method':
      return [`${d}static ${key}(): string { return 's${m.tag}'${sup} }`]
    case 'getter':
      return [`${d}static get ${key}(): string { return 'sg${m.tag}'${sup} }`]
    case 'data':
      return [`${d}static ${key}: any = ${dataSource(m.type, m.tag)}`]
    case 'async':
      return [`${d}static async ${key}(): Promise<string> { return 'sasync${m.tag}'${sup} }`]
    case 'generator':
      return [`${d}static *${key}(): Generator<number> { yield ${m.tag} }`]
  }
}

function ctorSource(c: ClassSpec, hasBase: boolean): string[] {
  const params = Array.from({ length: c.ctor.arity }, (_, i) => `p${i}`)
  const sup = hasBase ? 'super(); ' : ''
  switch (c.ctor.kind) {
    case 'none':
      return []
    case 'plain':
      return [
        `constructor(${params.map((p) => `${p}?: number`).join(', ')}) { ${sup}${params.map((p) => `;(this as any).${p} = ${p} ?? ${c.tag}`).join('; ')} }`,
      ]
    case 'params':
      return [`constructor(${params.map((p) => `public ${p}: number = ${c.tag}`).join(', ')}) { ${sup}}`]
  }
}

/** The body lines of one class, `@reloadable()` written as `decorator` (empty for the inert variant). */
export function classSource(c: ClassSpec, name: string, baseName: string | undefined, decorator: string): string {
  const hasBase = baseName !== undefined
  const body = [
    ...(c.instance ? [`static instance = new ${name}()`] : []),
    ...(c.factory ? [`static create = () => new this()`] : []),
    ...(c.counter
      ? [`static #n = ${c.tag}`, `static next(): number { return ++${name}.#n }`, `static accessor level = ${c.tag}`]
      : []),
    ...(c.block ? [`static { registry.push(this) }`] : []),
    ...ctorSource(c, hasBase),
    ...Object.entries(c.members).flatMap(([k, m]) => memberSource(k as Key, m!, hasBase)),
    ...Object.entries(c.statics).flatMap(([k, m]) => staticSource(k as Key, m!, hasBase)),
  ]
  const clsMeta = `@Reflect.metadata('cls', 'c${c.tag}')`
  const decorators = [
    ...(c.classMeta === 'above' ? [clsMeta] : []),
    ...(decorator ? [decorator] : []),
    ...(c.classMeta === 'below' ? [clsMeta] : []),
  ]
  return `${decorators.join('\n')}\nexport class ${name}${hasBase ? ` extends ${baseName}` : ''} {\n  ${body.join(';\n  ')}\n}`
}

/** The module prelude every generated module shares: metadata, the decorator, a registry, a symbol, a plain class. */
export function prelude(importLine: string): string {
  return `import 'reflect-metadata'
${importLine}
export const registry: unknown[] = []
const SYM = Symbol.for('hc.sym')
class Box { constructor(public n: number) {} }
void SYM
void Box
`
}

/** Member keys and static keys (plus what the class options add) to observe on every class. */
export const observedKeys: PropertyKey[] = [...KEYS.map(keyOf), 'p0', 'p1']
export const observedStatics: PropertyKey[] = [...KEYS.map(keyOf), 'instance', 'create', 'next', 'level']
