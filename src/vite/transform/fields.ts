import { reloadableBindings } from './decorated.ts'
import type { TransformContext } from './index.ts'
import type { Node } from './names.ts'

/**
 * Whether an initialiser can be moved out of its class body: no `#private`, no `arguments`. `super` can:
 * the core gives the initialisers' object the class's base as its prototype (core/fields.ts `homed`).
 */
function portable(node: Node): boolean {
  let ok = true
  const walk = (n: Node): void => {
    if (!ok) return
    if (n.type === 'PrivateIdentifier' || (n.type === 'Identifier' && n['name'] === 'arguments')) {
      ok = false
      return
    }
    for (const key of Object.keys(n)) {
      const v = n[key]
      if (Array.isArray(v)) {
        for (const x of v) if (isNode(x)) walk(x)
      } else if (isNode(v)) walk(v)
    }
  }
  walk(node)
  return ok
}

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && typeof (v as Node).type === 'string'
}

/** The class body bound to each name: `class X {}` or Oxc's `let X = class X {}`. */
function classBodies(ctx: TransformContext): Map<string, Node> {
  const out = new Map<string, Node>()
  for (let stmt of ctx.fields.ast.body as unknown as Node[]) {
    if (stmt.type === 'ExportNamedDeclaration' || stmt.type === 'ExportDefaultDeclaration') {
      const decl = stmt['declaration'] as Node | null
      if (!decl) continue
      stmt = decl
    }
    if (stmt.type === 'ClassDeclaration' && stmt['id'])
      out.set((stmt['id'] as Node)['name'] as string, stmt['body'] as Node)
    if (stmt.type !== 'VariableDeclaration') continue
    for (const d of stmt['declarations'] as Node[]) {
      let init = d['init'] as Node | null
      // `let X = _X = class X {}`: Oxc names the class for its methods this way.
      while (init?.type === 'AssignmentExpression') init = init['right'] as Node
      const id = d['id'] as Node
      if (init?.type === 'ClassExpression' && id.type === 'Identifier')
        out.set(id['name'] as string, init['body'] as Node)
    }
  }
  return out
}

/**
 * Record every instance field initialiser of a reloadable class as a function the core evaluates with
 * `this` bound to an instance: `shield = this.hp * 2` -> `fields: { shield() { return this.hp * 2; } }`.
 * The core gives a field a new version adds to live instances as an own property, and re-creates
 * changed arrow-function fields there. Runs after the module-state pass: the initialiser text is read
 * through `ctx.s`, so a module-level binding rewritten to its cell is read the same way inside and
 * outside the class. Under `useDefineForClassFields: false` the fields are read from the module's
 * define-semantics twin (`ctx.fields`), where they are still declarations.
 */
export function fieldsPass(ctx: TransformContext): void {
  if (!ctx.reloadableName) return
  const decorated = reloadableBindings(ctx.ast, ctx.reloadableName)
  if (decorated.size === 0) return
  let wrap: string | undefined
  const wrapName = (): string => {
    if (!wrap) {
      wrap = '__hcfn'
      for (let i = 1; ctx.code.includes(wrap); i++) wrap = `__hcfn${i}`
    }
    return wrap
  }
  const wrapFunctions = (value: Node, field: string): void => {
    // A table entry written as a method (`handlers = { move(m) { ... } }`) is wrapped whole, as a method
    // of a one-entry object (`move: __hcfn({ move(m) { ... } }.move, "move")`): still a method (no
    // `prototype`, not a constructor), held through a forwarder like an arrow entry.
    if (value.type === 'ObjectExpression')
      for (const p of value['properties'] as Node[]) {
        const key = p['key'] as Node
        if (p.type !== 'Property' || !p['method'] || p['computed'] || key.type !== 'Identifier') continue
        const name = key['name'] as string
        ctx.s.prependRight(p.start, `${name}: ${wrapName()}({ `)
        ctx.s.appendLeft(p.end, ` }.${name}, ${JSON.stringify(name)}, this, ${JSON.stringify(field)})`)
      }
    const targets: Array<[Node, string]> =
      value.type === 'ObjectExpression'
        ? (value['properties'] as Node[])
            .filter((p) => p.type === 'Property' && !p['method'] && !p['shorthand'] && p['kind'] === 'init')
            .map((p) => {
              const key = p['key'] as Node
              const name =
                !p['computed'] && key.type === 'Identifier'
                  ? (key['name'] as string)
                  : typeof key['value'] === 'string'
                    ? (key['value'] as string)
                    : ''
              return [p['value'] as Node, name]
            })
        : [[value, field]]
    for (const [fn, name] of targets) {
      if (fn.type !== 'ArrowFunctionExpression' && fn.type !== 'FunctionExpression') continue
      // Inside the value's own range, so the initialiser text the core gets carries the wrapper too.
      ctx.s.prependRight(fn.start, `${wrapName()}(`)
      // The instance and the field, so an instance no swap reaches catches up on its own (`__fn`).
      ctx.s.appendLeft(fn.end, `, ${JSON.stringify(name)}, this, ${JSON.stringify(field)})`)
    }
  }
  for (const [name, body] of classBodies(ctx)) {
    if (!decorated.has(name)) continue
    const entries: string[] = []
    const computed: string[] = []
    const bodyOnly: string[] = []
    for (const member of body['body'] as Node[]) {
      if (member.type !== 'PropertyDefinition' || member['static']) continue
      const key = member['key'] as Node
      const literal = key.type === 'Literal' && (typeof key['value'] === 'string' || typeof key['value'] === 'number')
      if (member['computed'] && !literal) {
        // `[KEY] = 3`: its key is known only once the class evaluates it; the core names such a field
        // when a version adds it, and says live instances did not get it.
        computed.push(ctx.fields.code.slice(key.start, key.end))
        continue
      }
      if (key.type !== 'Identifier' && key.type !== 'Literal') continue
      const value = member['value'] as Node | null
      if (value && !portable(value)) {
        bodyOnly.push(key.type === 'Identifier' ? (key['name'] as string) : String(key['value']))
        continue
      }
      // A function the initialiser makes is held through a forwarder (core/references.ts `__fn`), so a
      // swap that changes it retargets what emitters and handler tables were given.
      const prop = key.type === 'Identifier' ? (key['name'] as string) : JSON.stringify(String(key['value']))
      if (value && ctx.fields.own) wrapFunctions(value, key.type === 'Identifier' ? prop : String(key['value']))
      const expr = value
        ? ctx.fields.own
          ? ctx.s.slice(value.start, value.end)
          : ctx.fields.code.slice(value.start, value.end)
        : 'void 0'
      entries.push(`${prop}() { return (${expr}); }`)
    }
    // Written even when empty: `fields: {}` says "declares no fields", which differs from "unknown"
    // (a subclass instance still gets the fields its base adds, and the core need not read the source).
    const list = ctx.classInfo.get(name) ?? []
    if (list.some((extra) => extra.startsWith('fields:'))) continue
    list.push(entries.length > 0 ? `fields: { ${entries.join(', ')} }` : 'fields: {}')
    if (computed.length > 0) list.push(`computedFields: ${JSON.stringify(computed.map((k) => `[${k}]`))}`)
    if (bodyOnly.length > 0) list.push(`bodyFields: ${JSON.stringify(bodyOnly)}`)
    ctx.classInfo.set(name, list)
  }
  if (wrap) ctx.s.prepend(`import { __fn as ${wrap} } from "hotclass";\n`)
}
