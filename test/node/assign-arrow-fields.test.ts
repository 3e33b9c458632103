import { afterAll, describe, expect, test } from 'vitest'
import { createNodeHost } from '../../src/node/index.ts'
import { project } from './project.ts'

/**
 * README ("Fields"): a changed arrow-function field is re-targeted in place, because the function was a
 * forwarder from the start, so what an emitter or a framework registered runs the new source, "with
 * `useDefineForClassFields` true or false". Found on a Colyseus room (`onShout = (client, text) => ...`,
 * `this.onMessage('shout', this.onShout)`), which needs `useDefineForClassFields: false`: the holder kept
 * the old arrow after the swap. The constructor assignment is not wrapped in `__hcfn` there.
 */

const unit = (body: string) => `
import { reloadable } from 'hotclass'
@reloadable()
export class Unit {
  hp = 10
  onHit = (n: number): string => ${body}
  messages = { hit: (n: number): string => ${body} }
  held: Array<(n: number) => string> = []
  hold(): void { this.held.push(this.onHit) }
}
export const unit = new Unit()
unit.hold()`

describe.each([true, false])('an arrow-function field handed out, useDefineForClassFields: %s', (define) => {
  const p = project(`assign-arrow-fields-${define}`)
  afterAll(() => p.cleanup())

  test('the holder runs the edited arrow after a swap', async () => {
    p.write(
      'tsconfig.json',
      JSON.stringify({
        compilerOptions: { experimentalDecorators: true, useDefineForClassFields: define, target: 'ES2022' },
      }),
    )
    p.write('src/unit.ts', unit(`'v1:' + (this.hp + n)`))
    const host = await createNodeHost({ root: p.root, watch: false })
    try {
      const live = await host.run<{
        unit: {
          onHit: (n: number) => string
          held: Array<(n: number) => string>
          messages: { hit: (n: number) => string }
        }
      }>('src/unit.ts')
      const u = live.unit
      const fromOutside = u.onHit
      const heldEntry = u.messages.hit
      expect(u.held[0]!(1)).toBe('v1:11')
      p.write('src/unit.ts', unit(`'v2:' + (this.hp + n)`))
      const report = await host.hotswap('src/unit.ts')
      expect(report.ok, report.error?.message).toBe(true)
      expect(u.onHit(1)).toBe('v2:11') // the instance's own field
      expect(heldEntry(1)).toBe('v2:11') // a handler-table entry registered before the swap
      expect(u.held[0]!(1)).toBe('v2:11') // handed out inside the module (this.held.push(this.onHit))
      expect(fromOutside(1)).toBe('v2:11') // read from outside, before the swap
      expect(u.held[0]).toBe(u.onHit) // one function: off()/removeListener still find it
    } finally {
      await host.close()
    }
  })
})
