import type { ESTree } from 'vite'
import type { TransformContext } from './context.ts'
import { freshName } from './names.ts'
import { walk } from './walk.ts'

/**
 * Whether an initialiser can be moved out of its class body: no `#private`, no `arguments`. `super` can:
 * the core gives the initialisers' object the class's base as its prototype (core/fields.ts `homed`).
 */
function portable(node: ESTree.Node): boolean {
  let ok = true
  walk(node, (n) => {
    if (!ok) return false
    if (n.type === 'PrivateIdentifier' || (n.type === 'Identifier' && n.name === 'arguments')) {
      ok = false
      return false
    }
    return true
  })
  return ok
}

/** The functions a field's value makes, with the names they get: the value itself, or an object literal's properties. */
function functionsIn(value: ESTree.Expression, field: string): Array<[ESTree.Node, string]> {
  if (value.type !== 'ObjectExpression') return [[value, field]]
  const out: Array<[ESTree.Node, string]> = []
  for (const p of value.properties) {
    if (p.type !== 'Property' || p.method || p.shorthand || p.kind !== 'init') continue
    const key = p.key
    const name =
      !p.computed && key.type === 'Identifier'
        ? key.name
        : key.type === 'Literal' && typeof key.value === 'string'
          ? key.value
          : ''
    out.push([p.value, name])
  }
  return out
}

/**
 * Record every instance field initialiser of a reloadable class as a function the core evaluates with
 * `this` bound to an instance: `shield = this.hp * 2` -> `fields: { shield() { return this.hp * 2; } }`.
 * The core gives a field a new version adds to live instances as an own property, and re-creates
 * changed arrow-function fields there. Runs after the module-state emitter: the initialiser text is read
 * through `ctx.s`, so a module-level binding rewritten to its cell is read the same way inside and
 * outside the class. Under `useDefineForClassFields: false` the fields are read from the module's
 * define-semantics twin (`ctx.a.fields`), where they are still declarations.
 */
export function fieldsEmitter(ctx: TransformContext): void {
  const decorated = ctx.a.reloadableBindings
  if (decorated.size === 0) return
  const { bodies, own } = ctx.a.fields
  let wrap: string | undefined
  for (const [name, { body, code }] of bodies) {
    if (!decorated.has(name)) continue
    const entries: string[] = []
    const computed: string[] = []
    const bodyOnly: string[] = []
    for (const member of body.body) {
      if (member.type !== 'PropertyDefinition' || member.static) continue
      const key = member.key
      const literal = key.type === 'Literal' && (typeof key.value === 'string' || typeof key.value === 'number')
      if (member.computed && !literal) {
        // `[KEY] = 3`: its key is known only once the class evaluates it; the core names such a field
        // when a version adds it, and says live instances did not get it.
        computed.push(code.slice(key.start, key.end))
        continue
      }
      if (key.type !== 'Identifier' && key.type !== 'Literal') continue
      const value = member.value
      if (value && !portable(value)) {
        bodyOnly.push(key.type === 'Identifier' ? key.name : String(key.value))
        continue
      }
      // A function the initialiser makes is held through a forwarder (core/references.ts `__fn`), so a
      // swap that changes it retargets what emitters and handler tables were given.
      const prop = key.type === 'Identifier' ? key.name : JSON.stringify(String(key.value))
      if (value && own) {
        const field = JSON.stringify(key.type === 'Identifier' ? prop : String(key.value))
        // A table entry written as a method (`handlers = { move(m) { ... } }`) is wrapped whole, as a method
        // of a one-entry object (`move: __hcfn({ move(m) { ... } }.move, "move")`): still a method (no
        // `prototype`, not a constructor), held through a forwarder like an arrow entry.
        for (const p of value.type === 'ObjectExpression' ? value.properties : []) {
          if (p.type !== 'Property' || !p.method || p.computed || p.key.type !== 'Identifier') continue
          const entry = p.key.name
          wrap ??= freshName(ctx.code, '__hcfn')
          ctx.s.prependRight(p.start, `${entry}: ${wrap}({ `)
          ctx.s.appendLeft(p.end, ` }.${entry}, ${JSON.stringify(entry)}, this, ${field})`)
        }
        for (const [fn, fnName] of functionsIn(value, key.type === 'Identifier' ? prop : String(key.value))) {
          if (fn.type !== 'ArrowFunctionExpression' && fn.type !== 'FunctionExpression') continue
          wrap ??= freshName(ctx.code, '__hcfn')
          // Inside the value's own range, so the initialiser text the core gets carries the wrapper too.
          ctx.s.prependRight(fn.start, `${wrap}(`)
          // The instance and the field, so an instance no swap reaches catches up on its own (`__fn`).
          ctx.s.appendLeft(fn.end, `, ${JSON.stringify(fnName)}, this, ${field})`)
        }
      }
      const expr = value ? (own ? ctx.s.slice(value.start, value.end) : code.slice(value.start, value.end)) : 'void 0'
      entries.push(`${prop}() { return (${expr}); }`)
    }
    // Written even when empty: `fields: {}` says "declares no fields", which differs from "unknown"
    // (a subclass instance still gets the fields its base adds, and the core need not read the source).
    ctx.classInfo.set(name, {
      fields: entries.length > 0 ? `fields: { ${entries.join(', ')} }` : 'fields: {}',
      ...(computed.length > 0 && {
        computedFields: `computedFields: ${JSON.stringify(computed.map((k) => `[${k}]`))}`,
      }),
      ...(bodyOnly.length > 0 && { bodyFields: `bodyFields: ${JSON.stringify(bodyOnly)}` }),
    })
  }
  if (wrap) ctx.s.prepend(`import { __fn as ${wrap} } from "hotclass";\n`)
}
