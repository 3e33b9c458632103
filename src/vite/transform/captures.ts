import type { TransformContext } from './context.ts'
import { freshName } from './names.ts'

/**
 * Method references handed out follow swaps. A member read is wrapped in `__ref(...)` where game code
 * hands a method out (a call argument, `.bind`, a table or array, an assignment, a field, a return value,
 * either side of `===`, through `?:`/`||`/`?.`...: the list is the analysis walk's, sites.ts), and a binding
 * destructured from a method the module declares takes it after the destructuring. At run time a method
 * of a reloadable class becomes a stable forwarder to the class's current method (core/references.ts);
 * anything else passes through with one inlined `typeof` (measured 1.00x on a getter's `return
 * this._hp`, bench/hotpath.bench.ts 'why'). Test code (a module that imports a test runner or a browser
 * driver, whose callbacks may be serialised and run where no import exists) has no sites.
 */
export function capturesEmitter(ctx: TransformContext): void {
  const found = ctx.a.captures
  const destructurings = ctx.a.destructurings
  if (found.length === 0 && destructurings.length === 0) return
  const name = freshName(ctx.code, '__hcref')
  // Insertions outside each read's own range: emitters that overwrite inside it (module state cells,
  // `this` in static initialisers) keep their edits, and these survive theirs.
  // Where it was handed out, so a method that cannot be redirected can be named with its place: the
  // module, not the line, since a method's text is how a swap tells whether it changed, and a line
  // number would change every method below an edit.
  const at = JSON.stringify(ctx.id)
  for (const node of found) {
    ctx.s.appendLeft(node.start, `${name}(`)
    ctx.s.prependRight(node.end, `, ${at})`)
  }
  // A module-local function, not the import itself: under Vite's module runner (the Node host) every use
  // of an imported name is a property read on the import object, measured at 6.6x a plain call on a
  // one-line method; a local function that looks at `typeof` first costs nothing measurable, and only a
  // function value reaches the import. A declaration is hoisted: no TDZ in an import cycle.
  // `const { update, x } = this` -> `const { update: __hcref_1, x } = this, update = __hcref(__hcref_1, at)`:
  // the destructuring runs as written (its order, defaults and errors), then the binding takes the forwarder.
  let temp = 0
  for (const { declarator, bindings, loop } of destructurings) {
    const after: string[] = []
    for (const { property, id } of bindings) {
      const t = `${name}_${++temp}`
      if (property.shorthand) ctx.s.overwrite(property.key.start, property.key.end, `${id.name}: ${t}`)
      else ctx.s.overwrite(id.start, id.end, t)
      after.push(`${id.name} = ${name}(${t}, ${at})`)
    }
    if (!loop) ctx.s.appendLeft(declarator.end, `, ${after.join(', ')}`)
    // `for (const { update } of list) body`: the head holds one declarator, so the body declares them.
    else if (loop.body.type === 'BlockStatement')
      ctx.s.appendLeft(loop.body.start + 1, ` ${loop.kind} ${after.join(', ')};`)
    else {
      ctx.s.prependRight(loop.body.start, `{ ${loop.kind} ${after.join(', ')}; `)
      ctx.s.appendLeft(loop.body.end, ' }')
    }
  }
  ctx.s.prepend(
    `import { __ref as ${name}$ } from "hotclass";\nfunction ${name}(v, at) { return typeof v === 'function' ? ${name}$(v, at) : v; }\n`,
  )
}
