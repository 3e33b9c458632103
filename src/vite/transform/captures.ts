import type { TransformContext } from './index.ts'
import type { Node } from './names.ts'

/**
 * Method references handed out follow swaps. Every member read whose value leaves the expression (a call
 * argument, the receiver of `.bind(...)`, the right side of an assignment, an initialiser, an object or
 * array element, a returned value) is wrapped in `__ref(...)`: at run time a method of a reloadable
 * class becomes a stable forwarder to the class's current method (core/references.ts), anything else
 * passes through. Calls (`obj.update()`) and reads that are used on the spot are left alone, so the hot
 * paths of a game keep their plain property loads; a wrapped read costs one inlined `typeof`.
 */

interface Capture {
  node: Node
}

function isReference(n: Node): boolean {
  if (n.type !== 'MemberExpression') return false
  const object = n['object'] as Node
  const property = n['property'] as Node
  return (
    object.type !== 'Super' &&
    property.type !== 'PrivateIdentifier' &&
    !(n['computed'] && property.type === 'Literal' && typeof property['value'] === 'number')
  )
}

/** Whether `child` (a member read) hands its value out from `parent`, given the grandparent. */
function escapes(child: Node, parent: Node, grand: Node | undefined): boolean {
  switch (parent.type) {
    case 'CallExpression':
    case 'NewExpression':
      return (parent['arguments'] as Node[]).includes(child)
    case 'MemberExpression':
      // `this.onHit.bind(this)`
      return (
        parent['object'] === child &&
        !parent['computed'] &&
        (parent['property'] as Node)['name'] === 'bind' &&
        grand?.type === 'CallExpression' &&
        grand['callee'] === parent
      )
    case 'AssignmentExpression':
      return parent['operator'] === '=' && parent['right'] === child
    case 'VariableDeclarator':
      return parent['init'] === child
    case 'Property':
      return parent['value'] === child && !parent['shorthand'] && grand?.type === 'ObjectExpression'
    case 'ArrayExpression':
      return true
    case 'ReturnStatement':
      return true
    case 'ArrowFunctionExpression':
      return parent['body'] === child
    default:
      return false
  }
}

/** Browser-driver calls whose function arguments are serialised and run in a page: nothing to import there. */
const SERIALISED = new Set(['evaluate', 'evaluateHandle', 'waitForFunction', 'addInitScript', '$eval', '$$eval'])

function serialises(node: Node): boolean {
  if (node.type !== 'CallExpression') return false
  const callee = node['callee'] as Node
  return callee.type === 'MemberExpression' && SERIALISED.has((callee['property'] as Node)['name'] as string)
}

function collect(node: Node, parent: Node | undefined, grand: Node | undefined, out: Capture[]): void {
  if (parent && isReference(node) && escapes(node, parent, grand)) out.push({ node })
  if (serialises(node)) return
  for (const key of Object.keys(node)) {
    const v = node[key]
    if (Array.isArray(v)) {
      for (const x of v) if (isNode(x)) collect(x, node, parent, out)
    } else if (isNode(v)) collect(v, node, parent, out)
  }
}

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && typeof (v as Node).type === 'string'
}

/**
 * Test code is not game code: a test hands functions to a browser (`page.evaluate(() => ...)`) that are
 * serialised and run where no import exists, so a module that imports a test runner or a browser driver
 * is left as it is.
 */
const TEST_TOOLING = /^(?:vitest|@vitest\/|playwright|playwright-core|@playwright\/|jest|@jest\/|mocha)(?:\/|$)/

function isTestModule(ctx: TransformContext): boolean {
  return ctx.ast.body.some(
    (n) => n.type === 'ImportDeclaration' && typeof n.source.value === 'string' && TEST_TOOLING.test(n.source.value),
  )
}

export function capturesPass(ctx: TransformContext): void {
  if (isTestModule(ctx)) return
  const found: Capture[] = []
  collect(ctx.ast as unknown as Node, undefined, undefined, found)
  if (found.length === 0) return
  let name = '__hcref'
  for (let i = 1; ctx.code.includes(name); i++) name = `__hcref${i}`
  // Insertions outside each read's own range: passes that overwrite inside it (module state cells,
  // `this` in static initialisers) keep their edits, and these survive theirs.
  for (const { node } of found) {
    ctx.s.appendLeft(node.start, `${name}(`)
    ctx.s.prependRight(node.end, ')')
  }
  ctx.s.prepend(`import { __ref as ${name} } from "hotclass";\n`)
}
