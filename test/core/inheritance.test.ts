import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { scenario } from '../helpers/scenario.ts'

const s = scenario('inheritance')
afterAll(() => s.cleanup())

const entity = (speed: number, extra = '') => `
import { reloadable } from 'HOTCLASS'
@reloadable()
export class Entity {
  x = 0
  step(): number { this.x += ${speed}; return this.x }
  describe(): string { return 'entity' }
  static kind(): string { return 'entity-v${speed}' }
  ${extra}
}`

const enemy = (body: string) => `
import { reloadable } from 'HOTCLASS'
import { Entity } from './entity.ts'
import { Flyer } from './flyer.ts'
@reloadable()
export class Enemy extends ${body}
`

describe('inheritance repair', () => {
  let Entity: any, Enemy: any, Flyer: any
  let enemy1: any, boss: any
  let Boss: any

  beforeAll(async () => {
    s.write('entity.ts', entity(1))
    s.write(
      'flyer.ts',
      `import { reloadable } from 'HOTCLASS'
      @reloadable()
      export class Flyer { x = 0; step(): number { return -1 } describe(): string { return 'flyer' } static kind(): string { return 'flyer' } }`,
    )
    s.write(
      'enemy.ts',
      enemy(`Entity {
        describe(): string { return 'enemy<' + super.describe() + '>' }
        static kind(): string { return 'enemy/' + super.kind() }
      }`),
    )
    ;({ Entity } = await s.load('entity.ts'))
    ;({ Flyer } = await s.load('flyer.ts'))
    ;({ Enemy } = await s.load('enemy.ts'))
    Boss = class extends Enemy {
      describe(): string {
        return 'boss<' + super.describe() + '>'
      }
    }
    enemy1 = new Enemy()
    boss = new Boss()
  })

  test('a swapped base reaches live instances of reloadable and plain subclasses', async () => {
    expect(enemy1.step()).toBe(1)
    const report = await s.swap('entity.ts', entity(5))
    expect(report.ok).toBe(true)
    expect(enemy1.step()).toBe(6)
    expect(boss.step()).toBe(5)
  })

  test('super in a subclass lands on the current base code; super in plain subclasses too', async () => {
    await s.swap(
      'entity.ts',
      entity(5, `describe(): string { return 'ENTITY' }`).replace("describe(): string { return 'entity' }", ''),
    )
    expect(enemy1.describe()).toBe('enemy<ENTITY>')
    expect(boss.describe()).toBe('boss<enemy<ENTITY>>')
  })

  test('static inheritance follows: super in static methods reaches the current base', async () => {
    expect(Enemy.kind()).toBe('enemy/entity-v5')
    await s.swap('entity.ts', entity(7))
    expect(Enemy.kind()).toBe('enemy/entity-v7')
  })

  test('a swapped subclass calls super into the current base', async () => {
    const report = await s.swap(
      'enemy.ts',
      enemy(`Entity {
        describe(): string { return 'ENEMY(' + super.describe() + ')' }
        static kind(): string { return 'ENEMY/' + super.kind() }
      }`),
    )
    expect(report.ok).toBe(true)
    expect(enemy1.describe()).toBe('ENEMY(entity)')
    expect(boss.describe()).toBe('boss<ENEMY(entity)>')
  })

  test('changing the base re-parents the class and its live instances, and says baseChanged', async () => {
    const report = await s.swap('enemy.ts', enemy(`Flyer { describe(): string { return 'e/' + super.describe() } }`))
    expect(report.ok).toBe(true)
    expect(report.classes[0]!.baseChanged).toBe(true)
    expect(enemy1).toBeInstanceOf(Flyer)
    expect(enemy1).not.toBeInstanceOf(Entity)
    expect(boss).toBeInstanceOf(Flyer)
    expect(enemy1.describe()).toBe('e/flyer')
    expect(enemy1.step()).toBe(-1)
    expect(Object.getPrototypeOf(Enemy)).toBe(Flyer)
    expect(Enemy.kind()).toBe('flyer')
    expect(new Enemy()).toBeInstanceOf(Flyer)
  })
})
