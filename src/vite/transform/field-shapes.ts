import type { ESTree } from 'vite'
import { parseAst } from '../parse.ts'

/** A class body to read instance fields from, with the code its offsets point into. */
export interface FieldBody {
  body: ESTree.ClassBody
  code: string
}

/** Text on either side of a class that must match in the twin, so a look-alike elsewhere is not taken for it. */
const CONTEXT = 48

/**
 * The bodies of the reloadable classes in the module's define-semantics twin (see TransformOptions
 * `fieldsSource`), without parsing the twin. Both are Oxc's printing of one source: a class's methods
 * are the same text in both, and only its fields differ (declarations in the twin, constructor
 * assignments here). So each class is found in the twin by its header, each method of this module's
 * class is stepped over in order, and what lies between (the fields, the twin's constructor) is parsed
 * as one small class. A 4 MB level module has 10,000 methods and one field: parsing the whole twin
 * cost as much as the rest of the transform.
 *
 * Returns undefined when anything does not line up (a method not found in order, the class's end not
 * where the text after it says, the leftovers not parsing as class members); the caller then parses
 * the whole twin.
 */
export function twinFieldBodies(
  classes: ReadonlyMap<string, ESTree.Class>,
  code: string,
  twin: string,
): Map<string, FieldBody> | undefined {
  const out = new Map<string, FieldBody>()
  let cursor = 0
  for (const [name, cls] of classes) {
    const found = findInTwin(cls, code, twin, cursor)
    if (!found) return undefined
    cursor = found.end
    const text = `(class {\n${found.gaps.join('\n;\n')}\n})`
    let program: ESTree.Program
    try {
      program = parseAst(text)
    } catch {
      return undefined
    }
    const [stmt] = program.body
    if (program.body.length !== 1 || stmt?.type !== 'ExpressionStatement' || stmt.expression.type !== 'ClassExpression')
      return undefined
    out.set(name, { body: stmt.expression.body, code: text })
  }
  return out
}

/** The non-blank text between the methods of `cls` as the twin prints it, and where the class ends there. */
function findInTwin(
  cls: ESTree.Class,
  code: string,
  twin: string,
  from: number,
): { gaps: string[]; end: number } | undefined {
  const header = code.slice(Math.max(0, cls.start - CONTEXT), cls.body.start + 1)
  const at = twin.indexOf(header, from)
  if (at < 0) return undefined
  const after = code.slice(cls.end, cls.end + CONTEXT)
  // A class at the very end of the module has nothing after it to find its end by.
  if (after.trim().length < 8) return undefined
  const gaps: string[] = []
  let cursor = at + header.length
  for (const el of cls.body.body) {
    if (el.type !== 'MethodDefinition' || el.kind === 'constructor') continue
    const method = code.slice(el.start, el.end)
    const next = twin.indexOf(method, cursor)
    if (next < 0) return undefined
    const gap = twin.slice(cursor, next)
    if (gap.trim()) gaps.push(gap)
    cursor = next + method.length
  }
  const end = twin.indexOf(after, cursor)
  if (end < 0 || twin[end - 1] !== '}') return undefined
  const gap = twin.slice(cursor, end - 1)
  if (gap.trim()) gaps.push(gap)
  return { gaps, end }
}
