import { parseSync } from 'oxc-parser'
import type { Class, Decorator, Program } from 'oxc-parser'

/**
 * The first reloadable class in a TypeScript module that looks like it is built by a DI container: it
 * has typed constructor parameters and other decorators besides `@reloadable()` (on the class or its
 * parameters), so a container would read `design:paramtypes` — which exists only with
 * `emitDecoratorMetadata`. The plugin says so once when the project's tsconfig leaves it off.
 */
export function classNeedingMetadata(file: string, code: string): string | undefined {
  // Cheap test first: most modules have no other decorator call at all.
  if (!code.includes('constructor(') || !/@(?!reloadable\b)[A-Za-z_$][\w$.]*\s*\(/.test(code)) return undefined
  const { program } = parseSync(file, code, { lang: file.endsWith('x') ? 'tsx' : 'ts', sourceType: 'module' })
  for (const cls of classes(program)) {
    const names = cls.decorators.map(decoratorName)
    if (!names.includes('reloadable')) continue
    const ctor = cls.body.body.find((m) => m.type === 'MethodDefinition' && m.kind === 'constructor')
    if (!ctor || ctor.type !== 'MethodDefinition') continue
    const params = ctor.value.params
    const typed = params.some((p) => (p.type === 'TSParameterProperty' ? p.parameter : p).typeAnnotation)
    const paramDecorated = params.some((p) => (p.decorators?.length ?? 0) > 0)
    if (typed && (paramDecorated || names.some((n) => n !== 'reloadable'))) return cls.id?.name ?? 'default'
  }
  return undefined
}

function* classes(program: Program): Generator<Class> {
  for (const node of program.body) {
    const decl =
      node.type === 'ExportNamedDeclaration' || node.type === 'ExportDefaultDeclaration' ? node.declaration : node
    if (decl?.type === 'ClassDeclaration') yield decl
  }
}

function decoratorName(d: Decorator): string {
  let e = d.expression
  if (e.type === 'CallExpression') e = e.callee
  if (e.type === 'Identifier') return e.name
  if (e.type === 'MemberExpression' && e.property.type === 'Identifier') return e.property.name
  return ''
}
