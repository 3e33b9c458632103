import 'reflect-metadata'
// A test module (see observe.ts): the transform leaves it alone, so values are read as they are.
import { expect } from 'vitest'
import { swapModules } from '../../src/index.ts'
import type { SwapReport } from '../../src/index.ts'
import { scenario } from './scenario.ts'
import type { Scenario } from './scenario.ts'

/**
 * The two oracles of the fidelity issue as one-call helpers for hand-written scenarios:
 * - `differential`: a program loaded at v1, acted on, swapped through every later version, observes the
 *   same as a cold load of the final version given the same setup (kept state is left out by what the
 *   scenario observes, or replayed by its `setup`).
 * - `production`: a cold hotclass load observes the same as the same source with the decorator inert
 *   (`reloadable` from src/prod.ts).
 * `HOTCLASS` in a source is the core's specifier; `PROD` is replaced for the inert run.
 */

export type Files = Record<string, string>

/** A scenario source's import of the decorator (`HOTCLASS` stands for the core's specifier). */
export const H = `import { reloadable } from 'HOTCLASS'\n`

/** A library module for scenarios: a pixi-style `Ticker` (`add(fn, ctx)`, `tick()` passing 16 ms) and a timer queue. */
export const LIB = `
export class Ticker {
  listeners: Array<[Function, unknown]> = []
  add(fn: Function, ctx?: unknown): this { this.listeners.push([fn, ctx]); return this }
  remove(fn: Function, ctx?: unknown): this { this.listeners = this.listeners.filter(([f, c]) => f !== fn || c !== ctx); return this }
  has(fn: Function): boolean { return this.listeners.some(([f]) => f === fn) }
  tick(): unknown[] { return this.listeners.map(([f, c]) => f.call(c, 16)) }
}
export const timers: Function[] = []
export function later(fn: Function): number { return timers.push(fn) }
export function runTimers(): unknown[] { return timers.map((f) => f()) }
`

/** `useDefineForClassFields: false` (assign semantics), legacy decorators and their metadata: the tsconfig Colyseus asks for. */
export const LEGACY: Files = {
  'tsconfig.json': JSON.stringify({
    compilerOptions: {
      target: 'ES2023',
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      useDefineForClassFields: false,
    },
  }),
}

/** Both field semantics, for scenarios that run under each: define (TypeScript's default) and assign. */
export const MODES = [
  ['define', undefined],
  ['legacy', LEGACY],
] as const

export interface Differential<C> {
  /** Versions of the modules in order; each later entry lists only files that change. */
  versions: Files[]
  /** The module to import (the scenario imports everything through it). */
  entry: string
  /** Runs on the loaded entry before any swap (hot) or on the cold load; returns a context. */
  setup?: (m: any) => C | Promise<C>
  /** Runs after setup, only on the hot side, before the first swap (kept runtime state). */
  beforeSwap?: (m: any, ctx: C) => void | Promise<void>
  /** What the program observes at the end. */
  observe: (m: any, ctx: C) => unknown
  /** Extra files (tsconfig.json...) written before anything. */
  extra?: Files | undefined
}

export interface DiffResult {
  hot: unknown
  cold: unknown
  reports: SwapReport[]
}

function folderFor(name: string, extra?: Files): Scenario {
  const s = scenario(name)
  for (const [f, src] of Object.entries(extra ?? {})) s.write(f, src)
  return s
}

/** Run both sides; returns what each observed and the reports (each asserted ok). */
export async function runDifferential<C>(name: string, d: Differential<C>): Promise<DiffResult> {
  const hotS = folderFor(`${name}-hot`, d.extra)
  const coldS = folderFor(`${name}-cold`, d.extra)
  try {
    const [first, ...later] = d.versions
    for (const [f, src] of Object.entries(first!)) hotS.write(f, src)
    const hm = await hotS.load<any>(d.entry)
    const ctx = (await d.setup?.(hm)) as C
    await d.beforeSwap?.(hm, ctx)
    const reports: SwapReport[] = []
    const final: Files = { ...first }
    for (const v of later) {
      for (const [f, src] of Object.entries(v)) {
        hotS.write(f, src)
        final[f] = src
      }
      const report = await swapModules(Object.keys(v).map((f) => hotS.path(f)))
      reports.push(report)
      expect(report.ok, `swap of ${Object.keys(v).join(', ')}: ${report.error?.message}`).toBe(true)
    }
    const hot = await d.observe(hm, ctx)
    for (const [f, src] of Object.entries(final)) coldS.write(f, src)
    const cm = await coldS.load<any>(d.entry)
    const cctx = (await d.setup?.(cm)) as C
    const cold = await d.observe(cm, cctx)
    return { hot, cold, reports }
  } finally {
    hotS.cleanup()
    coldS.cleanup()
  }
}

/** The differential oracle: swapped == cold load of the final source. */
export async function differential<C>(name: string, d: Differential<C>): Promise<DiffResult> {
  const r = await runDifferential(name, d)
  expect(r.hot, 'swapped program vs cold load of the final source').toEqual(r.cold)
  return r
}

/** The production oracle: hotclass cold load == decorator inert. Returns the hot observation. */
export async function production(
  name: string,
  files: Files,
  entry: string,
  observe: (m: any) => unknown,
  extra?: Files,
): Promise<{ hot: unknown; plain: unknown }> {
  const hotS = folderFor(`${name}-hotp`, extra)
  const plainS = folderFor(`${name}-plain`, extra)
  try {
    for (const [f, src] of Object.entries(files)) hotS.write(f, src.replaceAll('PROD', 'HOTCLASS'))
    const prod = plainS.core.replace(/index\.ts$/, 'prod.ts')
    for (const [f, src] of Object.entries(files))
      plainS.write(f, src.replaceAll('HOTCLASS', prod).replaceAll('PROD', prod))
    const hot = await observe(await hotS.load<any>(entry))
    const plain = await observe(await plainS.load<any>(entry))
    expect(hot, 'hotclass cold load vs decorator inert').toEqual(plain)
    return { hot, plain }
  } finally {
    hotS.cleanup()
    plainS.cleanup()
  }
}

/** Everything reflection shows of an object without identity: own keys, descriptors' shapes, JSON. */
export function shape(o: any): unknown {
  if (o === null || (typeof o !== 'object' && typeof o !== 'function')) return o
  return {
    keys: Reflect.ownKeys(o).map(String),
    json: safeJson(o),
    spread: Object.keys({ ...o }),
    desc: Reflect.ownKeys(o).map((k) => {
      const d = Object.getOwnPropertyDescriptor(o, k)!
      return [
        String(k),
        'value' in d ? (typeof d.value === 'function' ? 'fn' : 'data') : 'accessor',
        d.enumerable,
        d.configurable,
        d.writable,
      ]
    }),
  }
}

function safeJson(o: unknown): string {
  try {
    return JSON.stringify(o) ?? 'undefined'
  } catch (e) {
    return `threw ${String(e)}`
  }
}

/** A function's reflection: kind, name, length. */
export function fnInfo(f: unknown): unknown {
  if (typeof f !== 'function') return typeof f
  return { kind: Object.getPrototypeOf(f)?.constructor?.name, name: f.name, length: f.length, proto: 'prototype' in f }
}

/** Call, catching: errors become data. */
export function attempt(f: () => unknown): unknown {
  try {
    return f()
  } catch (e) {
    return { threw: e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e) }
  }
}
