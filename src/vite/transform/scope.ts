import type { ESTree } from 'vite'
import { bodyOf, children, declaredBy, lexicalNames, patternNames, varNames } from './names.ts'
import type { Node } from './names.ts'

/**
 * Just enough scope analysis for the continuity transform: the module's top-level bindings and every
 * reference that resolves to one (not to a same-named parameter or inner declaration), with whether it
 * writes. Module code is strict and has no `with`, so lexical resolution is exact.
 */

export interface Reference {
  id: Node
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
  writeExpr: Node | undefined
  /** For a callee: the call or tagged template. */
  call: Node | undefined
}

export type BindingKind = 'var' | 'let' | 'const' | 'function' | 'class' | 'import'

export interface TopBinding {
  name: string
  kind: BindingKind
  /** The statement in the program body that declares it (for `var` nested in a block: undefined). */
  statement: Node | undefined
  /** The variable declarator or function/class declaration. */
  node: Node | undefined
  /** Names it is exported as (`default` included). */
  exportedAs: string[]
  refs: Reference[]
}

export interface ModuleScope {
  bindings: Map<string, TopBinding>
  /** Every reference to a top-level binding, in source order. */
  refs: Reference[]
}

/** Analyse a module: its top-level bindings and the references that resolve to them. */
export function analyzeModule(program: ESTree.Program): ModuleScope {
  const root = program as unknown as Node
  const bindings = new Map<string, TopBinding>()
  const refs: Reference[] = []
  const declare = (name: string, kind: BindingKind, statement: Node | undefined, node: Node | undefined): void => {
    if (!bindings.has(name)) bindings.set(name, { name, kind, statement, node, exportedAs: [], refs: [] })
  }
  const exportAs = (local: string, as: string): void => void bindings.get(local)?.exportedAs.push(as)

  for (const stmt of root['body'] as Node[]) {
    if (stmt.type === 'ImportDeclaration') {
      for (const spec of stmt['specifiers'] as Node[])
        declare((spec['local'] as Node)['name'] as string, 'import', stmt, spec)
      continue
    }
    const decl =
      stmt.type === 'ExportNamedDeclaration' || stmt.type === 'ExportDefaultDeclaration'
        ? (stmt['declaration'] as Node | null)
        : stmt
    if (!decl) continue
    if (decl.type === 'VariableDeclaration') {
      const kind = decl['kind'] as 'var' | 'let' | 'const'
      for (const d of decl['declarations'] as Node[])
        for (const n of patternNames(d['id'] as Node)) declare(n, kind, stmt, d)
    } else if ((decl.type === 'FunctionDeclaration' || decl.type === 'ClassDeclaration') && decl['id']) {
      declare(
        (decl['id'] as Node)['name'] as string,
        decl.type === 'ClassDeclaration' ? 'class' : 'function',
        stmt,
        decl,
      )
    }
  }
  const nestedVars = new Set<string>()
  for (const stmt of root['body'] as Node[]) if (stmt.type !== 'VariableDeclaration') varNames(stmt, nestedVars)
  for (const name of nestedVars) declare(name, 'var', undefined, undefined)

  for (const stmt of root['body'] as Node[]) {
    if (stmt.type === 'ExportNamedDeclaration' && !stmt['source']) {
      const decl = stmt['declaration'] as Node | null
      if (decl) for (const name of declaredBy(decl)) exportAs(name, name)
      for (const spec of stmt['specifiers'] as Node[]) {
        const local = spec['local'] as Node
        const exported = spec['exported'] as Node
        if (local.type === 'Identifier')
          exportAs(local['name'] as string, String(exported['name'] ?? exported['value']))
      }
    } else if (stmt.type === 'ExportDefaultDeclaration') {
      const decl = stmt['declaration'] as Node
      if ((decl.type === 'FunctionDeclaration' || decl.type === 'ClassDeclaration') && decl['id']) {
        exportAs((decl['id'] as Node)['name'] as string, 'default')
      }
    }
  }

  const scopes: Array<Set<string>> = []
  const note = (id: Node, flags: Partial<Reference> = {}): void => {
    const name = id['name'] as string
    for (let i = scopes.length - 1; i >= 0; i--) if (scopes[i]!.has(name)) return
    const binding = bindings.get(name)
    if (!binding) return
    const ref: Reference = {
      id,
      name,
      write: false,
      shorthand: false,
      callee: false,
      exportSpecifier: false,
      writeExpr: undefined,
      call: undefined,
      ...flags,
    }
    binding.refs.push(ref)
    refs.push(ref)
  }
  const withScope = (names: Set<string>, body: () => void): void => {
    scopes.push(names)
    body()
    scopes.pop()
  }

  /** A binding or assignment target: declared names are not references, assigned ones are writes. */
  const pattern = (node: Node | null, assign: boolean, writeExpr: Node | undefined, shorthand = false): void => {
    if (!node) return
    switch (node.type) {
      case 'Identifier':
        if (assign) note(node, { write: true, writeExpr, shorthand })
        return
      case 'ObjectPattern':
        for (const p of node['properties'] as Node[]) {
          if (p.type === 'RestElement') {
            pattern(p['argument'] as Node, assign, writeExpr)
            continue
          }
          if (p['computed']) visit(p['key'] as Node)
          pattern(p['value'] as Node, assign, writeExpr, p['shorthand'] === true)
        }
        return
      case 'ArrayPattern':
        for (const e of node['elements'] as Array<Node | null>) pattern(e, assign, writeExpr)
        return
      case 'AssignmentPattern':
        pattern(node['left'] as Node, assign, writeExpr, shorthand)
        visit(node['right'] as Node)
        return
      case 'RestElement':
        pattern(node['argument'] as Node, assign, writeExpr)
        return
      default:
        visit(node) // a member expression target: its object and computed key are plain reads
    }
  }

  const fn = (node: Node): void => {
    const names = new Set<string>()
    for (const p of node['params'] as Node[]) for (const n of patternNames(p)) names.add(n)
    if (node.type === 'FunctionExpression' && node['id']) names.add((node['id'] as Node)['name'] as string)
    const body = node['body'] as Node
    if (body.type === 'BlockStatement') {
      varNames(body, names)
      lexicalNames(bodyOf(node), names)
    }
    withScope(names, () => {
      for (const p of node['params'] as Node[]) pattern(p, false, undefined)
      if (body.type === 'BlockStatement') for (const s of body['body'] as Node[]) visit(s)
      else visit(body)
    })
  }

  const visit = (node: Node | null | undefined): void => {
    if (!node) return
    switch (node.type) {
      case 'ImportDeclaration':
      case 'ExportAllDeclaration':
      case 'MetaProperty':
      case 'BreakStatement':
      case 'ContinueStatement':
      case 'Literal':
      case 'PrivateIdentifier':
        return
      case 'Identifier':
        note(node)
        return
      case 'ExportNamedDeclaration':
        visit(node['declaration'] as Node | null)
        if (!node['source']) {
          for (const spec of node['specifiers'] as Node[]) {
            const local = spec['local'] as Node
            if (local.type === 'Identifier') note(local, { exportSpecifier: true })
          }
        }
        return
      case 'VariableDeclaration':
        for (const d of node['declarations'] as Node[]) {
          pattern(d['id'] as Node, false, undefined)
          visit(d['init'] as Node | null)
        }
        return
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        fn(node)
        return
      case 'ClassDeclaration':
      case 'ClassExpression': {
        const names = new Set<string>()
        if (node.type === 'ClassExpression' && node['id']) names.add((node['id'] as Node)['name'] as string)
        withScope(names, () => {
          for (const d of (node['decorators'] as Node[] | undefined) ?? []) visit(d)
          visit(node['superClass'] as Node | null)
          visit(node['body'] as Node)
        })
        return
      }
      case 'MethodDefinition':
      case 'PropertyDefinition':
      case 'AccessorProperty':
        for (const d of (node['decorators'] as Node[] | undefined) ?? []) visit(d)
        if (node['computed']) visit(node['key'] as Node)
        visit(node['value'] as Node | null)
        return
      case 'StaticBlock':
      case 'BlockStatement': {
        const names = new Set<string>()
        const body = node['body'] as Node[]
        lexicalNames(body, names)
        if (node.type === 'StaticBlock') varNames(node, names)
        withScope(names, () => body.forEach(visit))
        return
      }
      case 'ForStatement':
      case 'ForInStatement':
      case 'ForOfStatement': {
        const head = (node.type === 'ForStatement' ? node['init'] : node['left']) as Node | null
        const names = new Set<string>()
        if (head?.type === 'VariableDeclaration' && head['kind'] !== 'var') lexicalNames([head], names)
        withScope(names, () => {
          if (node.type === 'ForStatement' || head?.type === 'VariableDeclaration') visit(head)
          else pattern(head, true, undefined)
          for (const key of ['test', 'update', 'right', 'body']) visit(node[key] as Node | null | undefined)
        })
        return
      }
      case 'CatchClause': {
        const names = new Set(patternNames(node['param'] as Node | null))
        withScope(names, () => {
          pattern(node['param'] as Node | null, false, undefined)
          visit(node['body'] as Node)
        })
        return
      }
      case 'SwitchStatement': {
        visit(node['discriminant'] as Node)
        const names = new Set<string>()
        const cases = node['cases'] as Node[]
        for (const c of cases) lexicalNames(c['consequent'] as Node[], names)
        withScope(names, () => cases.forEach(visit))
        return
      }
      case 'LabeledStatement':
        visit(node['body'] as Node)
        return
      case 'MemberExpression':
        visit(node['object'] as Node)
        if (node['computed']) visit(node['property'] as Node)
        return
      case 'Property': {
        if (node['computed']) visit(node['key'] as Node)
        const value = node['value'] as Node
        if (node['shorthand'] && value.type === 'Identifier') note(value, { shorthand: true })
        else visit(value)
        return
      }
      case 'AssignmentExpression':
        pattern(node['left'] as Node, true, node)
        visit(node['right'] as Node)
        return
      case 'UpdateExpression': {
        const arg = node['argument'] as Node
        if (arg.type === 'Identifier') note(arg, { write: true, writeExpr: node })
        else visit(arg)
        return
      }
      case 'CallExpression':
      case 'TaggedTemplateExpression': {
        const callee = (node.type === 'CallExpression' ? node['callee'] : node['tag']) as Node
        if (callee.type === 'Identifier') note(callee, { callee: true, call: node })
        else visit(callee)
        if (node.type === 'CallExpression') (node['arguments'] as Node[]).forEach(visit)
        else visit(node['quasi'] as Node)
        return
      }
      default:
        for (const child of children(node)) visit(child)
    }
  }

  for (const stmt of root['body'] as Node[]) visit(stmt)
  refs.sort((a, b) => a.id.start - b.id.start)
  return { bindings, refs }
}

/** The references whose identifier lies inside `[start, end)`, by binary search over the sorted list. */
export function refsWithin(refs: readonly Reference[], start: number, end: number): Reference[] {
  let lo = 0
  let hi = refs.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (refs[mid]!.id.start < start) lo = mid + 1
    else hi = mid
  }
  const out: Reference[] = []
  for (let i = lo; i < refs.length && refs[i]!.id.start < end; i++) out.push(refs[i]!)
  return out
}
