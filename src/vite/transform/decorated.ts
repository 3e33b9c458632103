import { Visitor } from '../parse.ts'
import type { ESTree } from 'vite'

/** One `reloadable(...)` call and the class binding it decorates, when it decorates one. */
export interface ReloadableCall {
  call: ESTree.CallExpression
  /** The binding the decorated class is assigned to (`Enemy` in `Enemy = _decorate([...], Enemy)`). */
  binding: string | undefined
}

function isCallOf(node: ESTree.Node | null | undefined, name: string): node is ESTree.CallExpression {
  return node?.type === 'CallExpression' && calls(node, name)
}

function calls(node: ESTree.CallExpression, name: string): boolean {
  return node.callee.type === 'Identifier' && node.callee.name === name
}

interface Search {
  name: string
  bindings: Map<ESTree.CallExpression, string>
  found: ESTree.CallExpression[]
}

// One visitor for the life of the process, reading the search in progress from `current`. The oxc
// visitor bundled with Vite keeps every Visitor's callbacks, and the AST nodes they captured, forever
// (oxc-project/oxc#25510): a new Visitor per transform leaked ~5 KB per swap in the Node host's
// 1,000-swap memory figure.
let current: Search | undefined
/** What each AST's walk found, so the passes that ask share one walk. */
const analysed = new WeakMap<ESTree.Program, { name: string; calls: ReloadableCall[] }>()

function noteDecorators(cls: ESTree.Class): void {
  const search = current!
  for (const d of cls.decorators ?? []) {
    if (isCallOf(d.expression, search.name) && cls.id) search.bindings.set(d.expression, cls.id.name)
  }
}

const visitor = new Visitor({
  CallExpression(node) {
    const search = current!
    if (calls(node, search.name)) {
      search.found.push(node)
      return
    }
    // `_decorate([decorators], X)`: the helper's local name varies, its shape does not.
    const [list, target] = node.arguments
    if (list?.type !== 'ArrayExpression' || target?.type !== 'Identifier') return
    for (const el of list.elements) {
      if (isCallOf(el, search.name)) search.bindings.set(el, target.name)
    }
  },
  ClassDeclaration: noteDecorators,
  ClassExpression: noteDecorators,
  // `const Red = reloadable()(class { ... })`: the variable is the class's binding.
  VariableDeclarator(node) {
    const search = current!
    const init = node.init
    if (init?.type !== 'CallExpression' || node.id.type !== 'Identifier') return
    if (isCallOf(init.callee, search.name) && init.arguments[0]?.type === 'ClassExpression')
      search.bindings.set(init.callee, node.id.name)
  },
})

/**
 * Every call of the decorator factory, with the class it decorates. Oxc lowers legacy decorators to
 * `X = _decorate([reloadable(...), ...], X)`; TC39 decorators left in place appear as `@reloadable()`
 * on the class itself. A bare `reloadable()(X)` is found too, without a binding.
 */
export function findReloadableCalls(ast: ESTree.Program, name: string): ReloadableCall[] {
  // Several passes ask for the same module: one walk per AST (a walk is ~25 ms on a 1.6 MB module).
  const cached = analysed.get(ast)
  if (cached?.name === name) return cached.calls
  const search: Search = { name, bindings: new Map(), found: [] }
  current = search
  try {
    visitor.visit(ast)
  } finally {
    current = undefined
  }
  const found = search.found.map((call) => ({ call, binding: search.bindings.get(call) }))
  analysed.set(ast, { name, calls: found })
  return found
}

/** The bindings of every class the decorator is applied to. */
export function reloadableBindings(ast: ESTree.Program, name: string): Set<string> {
  const out = new Set<string>()
  for (const { binding } of findReloadableCalls(ast, name)) if (binding) out.add(binding)
  return out
}
