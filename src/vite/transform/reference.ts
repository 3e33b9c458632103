import type { ESTree } from 'vite'

/** What a rewrite needs to know about a reference's place in the code, read from the AST around it. */

export type Parents = ReadonlyMap<ESTree.Node, ESTree.Node>

export interface Reference {
  id: ESTree.IdentifierReference
  name: string
  /** Assigned to (`x = 1`, `x++`, `[x] = a`, `for (x of a)`). */
  write: boolean
  /** The value of a shorthand property (`{ x }`): a rewrite must spell out `x: ...`. */
  shorthand: boolean
  /** The callee of a call or a tag: a rewrite to a member access must not change `this`. */
  callee: boolean
  /** Named in `export { x }`: the export itself, not a use. */
  exportSpecifier: boolean
  /** The assignment or update expression a write belongs to (undefined for a `for` head). */
  writeExpr: ESTree.AssignmentExpression | ESTree.UpdateExpression | undefined
  /** For a callee: the call or tagged template. */
  call: ESTree.CallExpression | ESTree.TaggedTemplateExpression | undefined
}

/** What a reference's flags need to know of its parents: identifiers and the parts of a destructuring. */
export function scopeNeedsParent(type: string): boolean {
  switch (type) {
    case 'Identifier':
    case 'ArrayPattern':
    case 'ObjectPattern':
    case 'Property':
    case 'RestElement':
    case 'AssignmentPattern':
      return true
    default:
      return false
  }
}

export function reference(id: ESTree.IdentifierReference, write: boolean, parents: Parents): Reference {
  const parent = parents.get(id)
  const call =
    (parent?.type === 'CallExpression' && parent.callee === id) ||
    (parent?.type === 'TaggedTemplateExpression' && parent.tag === id)
      ? parent
      : undefined
  return {
    id,
    name: id.name,
    write,
    shorthand: isShorthandValue(id, parents),
    callee: call !== undefined,
    exportSpecifier: parent?.type === 'ExportSpecifier' && parent.local === id,
    writeExpr: write ? writeExpression(id, parents) : undefined,
    call,
  }
}

/** `{ x }`, or `{ x = 1 }` in an assignment pattern. */
function isShorthandValue(id: ESTree.Node, parents: Parents): boolean {
  let node = id
  let parent = parents.get(node)
  if (parent?.type === 'AssignmentPattern' && parent.left === node) {
    node = parent
    parent = parents.get(node)
  }
  return parent?.type === 'Property' && parent.shorthand && parent.value === node
}

const PATTERN_PARTS = new Set(['ArrayPattern', 'ObjectPattern', 'Property', 'RestElement', 'AssignmentPattern'])

/** The assignment or update a write target belongs to, up through any destructuring around it. */
function writeExpression(
  id: ESTree.Node,
  parents: Parents,
): ESTree.AssignmentExpression | ESTree.UpdateExpression | undefined {
  let parent = parents.get(id)
  while (parent && PATTERN_PARTS.has(parent.type)) parent = parents.get(parent)
  return parent?.type === 'AssignmentExpression' || parent?.type === 'UpdateExpression' ? parent : undefined
}
