import type { ESTree } from 'vite'
import { describe, expect, it } from 'vitest'
import { lowerFieldShapes, lowerModule } from '../../src/vite/lowering.ts'
import { parseAst } from '../../src/vite/parse.ts'
import { twinFieldBodies } from '../../src/vite/transform/field-shapes.ts'
import type { FieldBody } from '../../src/vite/transform/field-shapes.ts'
import { namedClasses } from '../../src/vite/transform/reloadable-classes.ts'
import type { ClassCompileOptions } from '../../src/vite/tsconfig.ts'

/** A project on `useDefineForClassFields: false`: fields are constructor assignments, the twin keeps them declared. */
const assign: ClassCompileOptions = {
  experimentalDecorators: true,
  emitDecoratorMetadata: undefined,
  useDefineForClassFields: false,
  target: undefined,
  file: 'tsconfig.json',
}

/** Each instance field as the fields emitter reads it: key text and initialiser text. */
function fieldTexts(bodies: Map<string, FieldBody>): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const [name, { body, code }] of bodies) {
    out[name] = body.body.flatMap((m) =>
      m.type === 'PropertyDefinition' && !m.static
        ? [`${code.slice(m.key.start, m.key.end)} = ${m.value ? code.slice(m.value.start, m.value.end) : ''}`]
        : [],
    )
  }
  return out
}

/** The real output, its twin, and the classes the fields emitter would read from the twin. */
function lowered(source: string): {
  code: string
  twin: string
  wanted: Map<string, ESTree.Class>
} {
  const code = lowerModule('/p/m.ts', source, assign).code
  const twin = lowerFieldShapes('/p/m.ts', source, assign)
  return { code, twin, wanted: namedClasses(parseAst(code)) }
}

function parsedTwin(twin: string): Map<string, FieldBody> {
  return new Map([...namedClasses(parseAst(twin))].map(([n, c]) => [n, { body: c.body, code: twin }]))
}

describe('fields under useDefineForClassFields: false: read from the twin without parsing it whole', () => {
  it('finds every field between the methods of every class, as a parse of the whole twin does', () => {
    const { code, twin, wanted } = lowered(`import { reloadable } from 'hotclass'
const KEY = 'k'
@reloadable() export class Enemy {
  hp: number = 10
  update(dt: number): void { this.hp -= dt }
  speed = this.hp * 2
  get alive(): boolean { return this.hp > 0 }
  static count = 0
  [KEY] = 3
  onHit = () => { this.hp-- }
  constructor(public name: string) {}
  label(): string { return \`\${this.name}\` }
  table = { move() { return 1 } }
}
@reloadable() export class Boss extends Enemy {
  rage = 1
  update(dt: number): void { super.update(dt * 2) }
}
`)
    expect(code).toContain('this.rage = 1')
    const cheap = twinFieldBodies(wanted, code, twin)
    expect(cheap).toBeDefined()
    expect(fieldTexts(cheap!)).toEqual(fieldTexts(parsedTwin(twin)))
    expect(fieldTexts(cheap!)['Enemy']).toEqual(
      expect.arrayContaining([
        'hp = 10',
        'speed = this.hp * 2',
        'onHit = () => {\n\t\tthis.hp--;\n\t}',
        'table = { move() {\n\t\treturn 1;\n\t} }',
      ]),
    )
    expect(fieldTexts(cheap!)['Boss']).toEqual(['rage = 1'])
  })

  it('a field holding a look-alike of a later method is never cut in two', () => {
    const { code, twin, wanted } = lowered(`import { reloadable } from 'hotclass'
@reloadable() export class Panel {
  handlers = { update() {} }
  update() {}
  after = 2
}
`)
    const cheap = twinFieldBodies(wanted, code, twin)
    // Either it lines up exactly or it declines (and the caller parses the whole twin): never a wrong field.
    if (cheap) expect(fieldTexts(cheap)).toEqual(fieldTexts(parsedTwin(twin)))
    expect(fieldTexts(cheap ?? parsedTwin(twin))['Panel']).toEqual(['handlers = { update() {} }', 'after = 2'])
  })

  it('declines when the twin does not line up with the module', () => {
    const { code, wanted } = lowered(
      `import { reloadable } from 'hotclass'\n@reloadable() export class A { x = 1; f() { return 1 } }\nexport const n = 1\n`,
    )
    const other = lowerFieldShapes(
      '/p/m.ts',
      `import { reloadable } from 'hotclass'\n@reloadable() export class A { x = 1; g() { return 2 } }\nexport const n = 1\n`,
      assign,
    )
    expect(twinFieldBodies(wanted, code, other)).toBeUndefined()
  })
})
