/* oxlint-disable no-underscore-dangle -- `__HOTCLASS_GATE__` is the global a gated module calls */
import { describe, expect, test } from 'vitest'
import { installGate, prepare, take } from '../../src/client/prepared.ts'

/**
 * The client half of "F5 only evaluates and commits": a version served with a gate ahead of its body is
 * imported as soon as it is pending, runs nothing until the swap takes it, and then runs without another
 * task. Node's `import()` of a `data:` module stands in for the browser's; the gate line is the one the
 * dev server would put first in a pending version.
 */

type Spy = typeof globalThis & { gated?: string[]; bodies?: string[] }
const g = globalThis as Spy

function gatedModule(name: string, body = ''): string {
  const source = `await globalThis.__HOTCLASS_GATE__?.(import.meta.url)
globalThis.bodies.push(${JSON.stringify(name)})
${body}
export const name = ${JSON.stringify(name)}
`
  return `data:text/javascript,${encodeURIComponent(source)}`
}

/** Resolve once a prepared module has reached its gate (it calls the gate function with its URL). */
function reached(href: string): Promise<void> {
  return new Promise((resolve) => {
    const gate = globalThis.__HOTCLASS_GATE__!
    globalThis.__HOTCLASS_GATE__ = (url) => {
      if (url === href) resolve()
      return gate(url)
    }
  })
}

describe('a prepared version waits at its gate until the swap takes it', () => {
  test('its body runs only on take(), and in microtasks of that call', async () => {
    installGate()
    g.bodies = []
    const href = gatedModule('enemy-v2')
    const atGate = reached(href)
    prepare(href)
    await atGate
    expect(g.bodies).toEqual([])

    let tasks = 0
    const timer = setInterval(() => tasks++, 0)
    const namespace = (await take(href)) as { name: string }
    clearInterval(timer)
    expect(namespace.name).toBe('enemy-v2')
    expect(g.bodies).toEqual(['enemy-v2'])
    expect(tasks).toBe(0)
    // Taken once: a second swap of the same URL imports it the ordinary way.
    expect(take(href)).toBeUndefined()
  })

  test('a version that throws rejects at take(), not before', async () => {
    installGate()
    g.bodies = []
    const href = gatedModule('broken', "throw new Error('broken body')")
    const atGate = reached(href)
    prepare(href)
    await atGate
    await expect(take(href)).rejects.toThrow('broken body')
  })

  test('a version superseded before the key never runs; modules without a gate registered run at once', async () => {
    installGate()
    g.bodies = []
    const old = gatedModule('enemy-v3')
    const atGate = reached(old)
    prepare(old)
    await atGate
    // The same module imported without prepare(): no gate is registered for it, so it does not wait.
    const plain = gatedModule('enemy-v4')
    await import(/* @vite-ignore */ plain)
    expect(g.bodies).toEqual(['enemy-v4'])
  })
})
