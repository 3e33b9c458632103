import 'reflect-metadata'
import { afterAll, describe, expect, test } from 'vitest'
import { scenario } from '../helpers/scenario.ts'

const s = scenario('metadata')
afterAll(() => s.cleanup())

const service = (params: string, tag: string) => `
import 'reflect-metadata'
import { reloadable } from 'HOTCLASS'
export class Clock {}
export class Rng {}
const Tag = (value: string): MethodDecorator => (target, key) => Reflect.defineMetadata('tag', value, target, key)
@reloadable()
export class Spawner {
  constructor(${params}) {}
  @Tag('${tag}') tick(): void {}
}`

describe('reflect-metadata follows the newest version', () => {
  test('design:paramtypes and member metadata are replaced on the canonical class', async () => {
    s.write('spawner.ts', service('clock: Clock', 'v1'))
    const mod = await s.load<any>('spawner.ts')
    const { Spawner } = mod
    expect(Reflect.getMetadata('design:paramtypes', Spawner)).toEqual([mod.Clock])
    expect(Reflect.getMetadata('tag', Spawner.prototype, 'tick')).toBe('v1')

    const report = await s.swap('spawner.ts', service('clock: Clock, rng: Rng', 'v2'))
    expect(report.ok).toBe(true)
    const types = Reflect.getMetadata('design:paramtypes', Spawner) as Function[]
    expect(types.map((t) => t.name)).toEqual(['Clock', 'Rng'])
    expect(Reflect.getMetadata('tag', Spawner.prototype, 'tick')).toBe('v2')
  })
})
