import { decode } from '@jridgewell/sourcemap-codec'
import { transformWithOxc } from 'vite'
import { describe, expect, it } from 'vitest'
import { createContext, runTransform } from '../../src/vite/transform/index.ts'
import type { TransformOptions } from '../../src/vite/transform/index.ts'
import type { ClassInfo } from '../../src/vite/transform/context.ts'
import { moduleIdEmitter } from '../../src/vite/transform/module-id.ts'

/** What the plugin sees: the TypeScript after Vite's Oxc transform with legacy decorators. */
async function oxc(source: string): Promise<string> {
  const out = await transformWithOxc(source, 'fixture.ts', {
    decorator: { legacy: true, emitDecoratorMetadata: true },
  })
  return out.code
}

/** The module-id emitter alone: the pipeline also runs the continuity emitters, which have their own tests. */
function moduleIdOnly(id: string, code: string, options?: TransformOptions, extras?: Map<string, ClassInfo>): string {
  const ctx = createContext(id, code, options)
  for (const [name, info] of extras ?? []) ctx.classInfo.set(name, info)
  moduleIdEmitter(ctx)
  return ctx.s.toString()
}

describe('module-id pass: every reloadable call learns its module', () => {
  it('adds the module id after the options, or after undefined when there are none', async () => {
    const code = await oxc(`import { reloadable } from 'hotclass'
@reloadable() export class Enemy { hp = 1 }
@reloadable({ id: 'boss' }) export class Boss extends Enemy {}`)
    const out = moduleIdOnly('demo/Enemy.ts', code)
    expect(out).toContain('reloadable(undefined, { module: "demo/Enemy.ts" })')
    expect(out).toContain('reloadable({ id: "boss" }, { module: "demo/Enemy.ts" })')
  })

  it('follows a renamed import and ignores a same-named function from elsewhere', async () => {
    const code = await oxc(`import { reloadable as rl } from 'hotclass'
import { reloadable } from './other.ts'
@rl() export class A {}
@reloadable() export class B {}`)
    const out = moduleIdOnly('a.ts', code)
    expect(out).toContain('rl(undefined, { module: "a.ts" })')
    expect(out).toContain('_decorate([reloadable()], B)')
  })

  it('recognises a relative path to the core entry when told which specifiers name it', async () => {
    const code = await oxc(`import { reloadable } from '../../src/index.ts'\n@reloadable() export class A {}`)
    const out = moduleIdOnly('test/x/a.ts', code, { isHotclassEntry: (s) => s.endsWith('src/index.ts') })
    expect(out).toContain('reloadable(undefined, { module: "test/x/a.ts" })')
  })

  it('writes the extras earlier passes recorded for the decorated binding', async () => {
    const code = await oxc(`import { reloadable } from 'hotclass'\n@reloadable() export class A {}`)
    const extras = new Map([['A', { fields: 'fields: { x() { return 1 } }' }]])
    const out = moduleIdOnly('a.ts', code, {}, extras)
    expect(out).toContain('reloadable(undefined, { module: "a.ts", fields: { x() { return 1 } } })')
  })

  it('leaves modules without the decorator or module state untouched', async () => {
    expect(runTransform('a.ts', await oxc(`import { x } from './x.ts'\nconsole.log(x as number)`))).toBeUndefined()
  })
})

describe('swappable: modules whose exports all stay live (reloadable classes, kept bindings, functions) accept their own updates', () => {
  const cases: Array<[string, string, boolean]> = [
    ['named class exports', `@reloadable() export class A {}\n@reloadable() class B {}\nexport { B }`, true],
    ['a default export', `@reloadable() class A {}\nexport default A`, true],
    [
      'local helpers and type exports',
      `const k = 2\nexport type T = number\n@reloadable() export class A { k = k }`,
      true,
    ],
    ['a plain class export (kept while unchanged)', `@reloadable() export class A {}\nexport class B {}`, true],
    [
      'a constant export (mirrored by the continuity pass)',
      `@reloadable() export class A {}\nexport const SPEED = 3`,
      true,
    ],
    ['a function export (a stable wrapper)', `@reloadable() export class A {}\nexport function f() {}`, true],
    ['a re-export', `@reloadable() export class A {}\nexport * from './b.ts'`, false],
    ['no exports at all', `@reloadable() class A {}\nnew A()`, false],
  ]
  for (const [name, body, expected] of cases) {
    it(`${name}: ${expected ? 'swappable' : 'not swappable'}`, async () => {
      const code = await oxc(`import { reloadable } from 'hotclass'\n${body}`)
      const out = runTransform('m.ts', code)!
      expect(out.swappable).toBe(expected)
      expect(out.code.includes('import.meta.hot.accept()')).toBe(expected)
    })
  }
})

describe('captures pass: handed-out member reads are wrapped so methods follow swaps', () => {
  it('wraps where methods are handed out, returned or compared; leaves calls alone', async () => {
    const code = await oxc(`import { reloadable } from 'hotclass'
@reloadable() export class Screen {
  constructor(t: any, e: any, b: any) {
    t.add(this.update, this)
    this.onHit = this.hit.bind(this)
    b.onclick = this.move
    const f = Screen.prototype.update
    e.table = { move: this.move }
    this.update()
    this.vx = this.speed
    const x = this.vx
    void page.evaluate(() => window.game.update)
    void [f, x]
    t.add(b ? this.update : this.move, this)
    void (this.onHit === this.hit)
  }
  pick() { return e ? this.move : this.hit }
  onHit: unknown
  vx = 0
  speed = 1
  get hp(): number { return this.vx }
  update() {} hit() {} move() {}
}`)
    const out = runTransform('s.ts', code, { selfAccept: false })!.code
    expect(out).toContain('import { __ref as __hcref$ } from "hotclass"')
    // A module-local function: under the module runner an imported name is a getter on every use.
    expect(out).toContain("function __hcref(v, at) { return typeof v === 'function' ? __hcref$(v, at) : v; }")
    // Each hand-out names its place, for the warning when it cannot be redirected.
    expect(out).toMatch(/t\.add\(__hcref\(this\.update, "s\.ts"\), this\)/)
    expect(out).toMatch(/this\.onHit = __hcref\(this\.hit, "s\.ts"\)\.bind\(this\)/)
    expect(out).toMatch(/b\.onclick = __hcref\(this\.move, "s\.ts"\)/)
    expect(out).toMatch(/const f = __hcref\(\S+\.prototype\.update, "s\.ts"\)/)
    expect(out).toMatch(/move: __hcref\(this\.move, "s\.ts"\)/)
    expect(out).toContain('this.update();')
    // `this.speed` where the classes give `speed` only data (`speed = 1`) is read as it is: a hot path.
    // `vx` is given `this.speed`, a member read that could be a method: its reads are wrapped.
    expect(out).toContain('this.vx = this.speed')
    expect(out).toMatch(/const x = __hcref\(this\.vx, "s\.ts"\)/)
    // A returned value is handed to the caller: a method comes back as its forwarder.
    expect(out).toMatch(/return __hcref\(this\.vx, "s\.ts"\)/)
    expect(out).toMatch(/t\.add\(b \? __hcref\(this\.update, "s\.ts"\) : __hcref\(this\.move, "s\.ts"\), this\)/)
    expect(out).toMatch(/__hcref\(this\.onHit, "s\.ts"\) === __hcref\(this\.hit, "s\.ts"\)/)
    expect(out).toMatch(/return e \? __hcref\(this\.move, "s\.ts"\) : __hcref\(this\.hit, "s\.ts"\)/)
    expect(out).toContain('window.game.update')
    expect(out).not.toContain('__hcref(window.game.update)')
  })
})

describe('captures: destructuring, indexes', () => {
  it('passes a destructured binding through __ref only when its key names a method the module declares', async () => {
    const code = await oxc(`import { reloadable } from 'hotclass'
@reloadable() export class Screen {
  pos = { x: 0, y: 0 }
  start(t: any, items: any[], i: number, name: string) {
    const { update, pos } = this; t.add(update, this); const { x, y } = this.pos; void [pos, x, y]
    const it = items[i & 63]; const near = items[i - 1]; const named = (this as any)[name]; void [it, near, named]
  }
  update() {}
}`)
    const out = runTransform('s.ts', code, { selfAccept: false })!.code
    // The destructuring runs as written; the binding then takes the forwarder.
    expect(out).toMatch(/const \{ update: __hcref_1, pos \} = this, update = __hcref\(__hcref_1, "s\.ts"\)/)
    expect(out).toMatch(/const \{ x, y \} = this\.pos;/)
    // A numeric index is a game loop's read, never a method handed out; a string key may be one.
    expect(out).toContain('const it = items[i & 63]')
    expect(out).toContain('const near = items[i - 1]')
    expect(out).toMatch(/const named = __hcref\(this\[name\], "s\.ts"\)/)
  })

  it('a for...of head declares through its body, unless the body declares the same name', async () => {
    const code = await oxc(`import { reloadable } from 'hotclass'
@reloadable() export class Screen {
  run(t: any, list: any[]) {
    for (const { update } of list) t.add(update)
    for (let { update: u } of list) { t.add(u) }
    for (const { update } of list) { const update2 = 1; function update() {} void update2 }
  }
  update() {}
}`)
    const out = runTransform('s.ts', code, { selfAccept: false })!.code
    expect(out).toMatch(
      /for \(const \{ update: __hcref_1 \} of list\) \{ const update = __hcref\(__hcref_1, "s\.ts"\); t\.add\(update\)/,
    )
    expect(out).toMatch(/for \(let \{ update: __hcref_2 \} of list\) \{ let u = __hcref\(__hcref_2, "s\.ts"\);/)
    // The third body declares `update` itself: its head is left as written.
    expect(out).toMatch(/for \(const \{ update \} of list\) \{\s*const update2 = 1;/)
  })
})

describe('gate: a pending version is served to stop before its body until the swap opens it', () => {
  it('prepends the gate to swappable modules only', async () => {
    const swappable = await oxc(`import { reloadable } from 'hotclass'\n@reloadable() export class A {}`)
    const gated = runTransform('a.ts', swappable, { gate: true })!.code
    expect(gated.startsWith('await globalThis.__HOTCLASS_GATE__?.(import.meta.url);\n')).toBe(true)
    expect(runTransform('a.ts', swappable)!.code).not.toContain('__HOTCLASS_GATE__')
    const entry = await oxc(`import { A } from './a.ts'\nnew A()\nconst k = 1`)
    expect(runTransform('main.ts', entry, { gate: true })?.code ?? '').not.toContain('__HOTCLASS_GATE__')
  })
})

describe('source maps: exact to the column for hand-written modules, to the line for huge generated ones', () => {
  /** The original [line, column] each generated line's segments map to, from the transform's map. */
  function segments(out: { map: { mappings: string } }): Array<Array<[number, number, number]>> {
    return decode(out.map.mappings).map((line) => line.map((seg) => [seg[0], seg[2] ?? -1, seg[3] ?? -1]))
  }

  it('maps a read inside a line to its own column in a hand-written module', async () => {
    const code = await oxc(
      `import { reloadable } from 'hotclass'\n@reloadable() export class A { hp = 1; hit() { return this.hp + 1 } }`,
    )
    const out = runTransform('a.ts', code)!
    const lines = out.code.split('\n')
    const at = lines.findIndex((l) => l.includes('return this.hp + 1'))
    const column = lines[at]!.indexOf('this.hp')
    const original = code.split('\n')
    const line = original.findIndex((l) => l.includes('return this.hp + 1'))
    expect(segments(out)[at]).toContainEqual([column, line, original[line]!.indexOf('this.hp')])
  })

  it('maps every line of a module over 512 KB back to its own line', async () => {
    const methods = Array.from(
      { length: 1500 },
      (_row, m) => `  row${m}() { return [${Array.from({ length: 60 }, (_col, i) => m + i).join(', ')}] }`,
    )
    const code = await oxc(
      `import { reloadable } from 'hotclass'\n@reloadable() export class Level {\n${methods.join('\n')}\n}`,
    )
    expect(code.length).toBeGreaterThan(512 * 1024)
    const out = runTransform('level.ts', code)!
    const original = code.split('\n')
    const map = segments(out)
    const lines = out.code.split('\n')
    let checked = 0
    for (const m of [0, 700, 1499]) {
      const at = lines.findIndex((l) => l.includes(`row${m}()`))
      const line = original.findIndex((l) => l.includes(`row${m}()`))
      expect(map[at]![0]).toEqual([0, line, 0])
      checked++
    }
    expect(checked).toBe(3)
  })
})

describe('scope: a module binding is found however deep it is used, and a same-named local is not it', () => {
  it('rewrites a reassigned binding inside nested functions; leaves a shadowing parameter and unrelated functions alone', async () => {
    const code = await oxc(`let count = 0
export function bump(): void { const outer = () => () => { count++ }; outer()() }
export function shadow(count: number): number { return count + 1 }
export function data(): number[] { return [1, 2, 3].map((x) => x * 2) }
export function read(): number { return count }`)
    const out = runTransform('s.ts', code)!.code
    expect(out).toContain('__hcc_count.v++')
    expect(out).toContain('return __hcc_count.v')
    expect(out).toMatch(/function shadow\(count\) \{\s*return count \+ 1;/)
    expect(out).toMatch(/\.map\(\(x\) => x \* 2\)/)
  })
})
