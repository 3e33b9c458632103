import MagicString from 'magic-string'
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
 * Wrap the functions a field's value makes in `__fn(fn, name, this, field)`, writing into `out` whose text
 * starts at `base` in the value's source. A table entry written as a method (`handlers = { move(m) {...} }`)
 * is wrapped whole, as a method of a one-entry object (`move: __hcfn({ move(m) { ... } }.move, "move")`):
 * still a method (no `prototype`, not a constructor), held through a forwarder like an arrow entry.
 * Insertions stay inside the value's own range, so its text carries the wrappers. `wrap` names the
 * module's import of `__fn`, asked for only when there is something to wrap.
 */
function wrapFunctions(
  out: MagicString,
  base: number,
  value: ESTree.Expression,
  field: string,
  wrap: () => string,
  assigned = false,
): void {
  const name = JSON.stringify(field)
  for (const p of value.type === 'ObjectExpression' ? value.properties : []) {
    if (p.type !== 'Property' || !p.method || p.computed || p.key.type !== 'Identifier') continue
    const entry = p.key.name
    out.prependRight(p.start - base, `${entry}: ${wrap()}({ `)
    out.appendLeft(p.end - base, ` }.${entry}, ${JSON.stringify(entry)}, this, ${name})`)
  }
  for (const [fn, fnName] of functionsIn(value, field)) {
    if (fn.type !== 'ArrowFunctionExpression' && fn.type !== 'FunctionExpression') continue
    out.prependRight(fn.start - base, `${wrap()}(`)
    // The instance and the field, so an instance no swap reaches catches up on its own (`__fn`). Under
    // assign semantics (`this.onHit = () => ...`) the function itself is not named after the field.
    const shownName = assigned && fn === value ? '' : fnName
    out.appendLeft(fn.end - base, `, ${JSON.stringify(shownName)}, this, ${name})`)
  }
}

/**
 * Under assign semantics the field initialisers run as `this.x = ...` at the top of the constructor: the
 * functions they make are wrapped there, as a declaration's would be.
 */
function wrapConstructorFields(
  ctx: TransformContext,
  cls: ESTree.Class,
  fields: ReadonlySet<string>,
  wrap: () => string,
): void {
  const ctor = cls.body.body.find(
    (m): m is ESTree.MethodDefinition => m.type === 'MethodDefinition' && m.kind === 'constructor',
  )
  for (const stmt of ctor?.value.body?.body ?? []) {
    if (stmt.type !== 'ExpressionStatement' || stmt.expression.type !== 'AssignmentExpression') continue
    const { left, right, operator } = stmt.expression
    if (operator !== '=' || left.type !== 'MemberExpression' || left.computed) continue
    if (left.object.type !== 'ThisExpression' || left.property.type !== 'Identifier') continue
    if (fields.has(left.property.name)) wrapFunctions(ctx.s, 0, right, left.property.name, wrap, true)
  }
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
  const wrapName = (): string => (wrap ??= freshName(ctx.code, '__hcfn'))
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
      const fieldName = key.type === 'Identifier' ? key.name : String(key.value)
      let expr = 'void 0'
      if (value && own) {
        wrapFunctions(ctx.s, 0, value, fieldName, wrapName)
        expr = ctx.s.slice(value.start, value.end)
      } else if (value) {
        // Assign semantics: the twin's text, wrapped the same way as the constructor's `this.x = ...`.
        const text = new MagicString(code.slice(value.start, value.end))
        wrapFunctions(text, value.start, value, fieldName, wrapName, true)
        expr = text.toString()
      }
      entries.push(`${prop}() { return (${expr}); }`)
    }
    if (!own) {
      const cls = ctx.a.reloadableClasses.find((c) => c.binding === name)?.cls
      const names = new Set(
        body.body.flatMap((m) =>
          m.type === 'PropertyDefinition' && !m.static && !m.computed && m.key.type === 'Identifier'
            ? [m.key.name]
            : [],
        ),
      )
      if (cls) wrapConstructorFields(ctx, cls, names, wrapName)
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
