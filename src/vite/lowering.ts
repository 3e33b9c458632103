import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { transformSync } from 'oxc-transform'
import { oxcError } from './oxc-errors.ts'
import type { ClassCompileOptions } from './tsconfig.ts'

/**
 * hotclass lowers TypeScript and its decorators itself for every module that applies `@reloadable()`,
 * with the `oxc-transform` package, the same Oxc transform Vite 8 runs: Vite 7 compiles TypeScript with
 * esbuild, which lowers decorators to a different shape (`__decorateClass`) and emits no decorator
 * metadata. So the hotclass transform sees one shape (`X = _decorate([reloadable(...)], X)`) on every
 * Vite version, and Vite's own TypeScript pass afterwards only meets plain JavaScript.
 *
 * Decorators are always the legacy (experimentalDecorators) kind, which is what `@reloadable()` source
 * code uses; metadata and class-field semantics follow the project's tsconfig, as TypeScript would.
 */

export interface LoweredModule {
  code: string
  map: { mappings: string; names: string[]; sources: string[]; version: number } | undefined
}

/**
 * Whether the plugin lowers this module itself: TypeScript that may decorate a class with `reloadable`.
 * JSX is left in place for Vite's own pass, which on Vite 7 (esbuild) would rename the lowered classes, so
 * there `.tsx` modules are left to esbuild entirely (a known limit).
 */
export function needsLowering(file: string, code: string, esbuild = false): boolean {
  const ts = esbuild ? /\.[cm]?ts$/ : /\.[cm]?tsx?$/
  return ts.test(file) && code.includes('reloadable') && code.includes('@')
}

/** `useDefineForClassFields` as TypeScript decides it: explicit, else by `target` (ES2022 and later define). */
export function definesClassFields(options: ClassCompileOptions): boolean {
  if (options.useDefineForClassFields !== undefined) return options.useDefineForClassFields
  const target = options.target?.toLowerCase()
  if (!target) return false
  if (target === 'esnext') return true
  const year = Number(target.replace(/^es/, ''))
  return Number.isFinite(year) && year >= 2022
}

/** Lower one module's TypeScript and decorators. Throws errors shaped as Vite's own Oxc errors. */
export function lowerModule(
  file: string,
  code: string,
  options: ClassCompileOptions,
  define = definesClassFields(options),
  removeUninitialised = !define,
): LoweredModule {
  return lower(file, code, options, define, removeUninitialised, true)
}

/**
 * The module lowered with define semantics for class fields, which the transform reads instance fields
 * from under `useDefineForClassFields: false` (see plugin.ts). Code only: nothing maps back to it, and a
 * source map of a multi-megabyte module costs as much as the lowering itself.
 */
export function lowerFieldShapes(file: string, code: string, options: ClassCompileOptions): string {
  return lower(file, code, options, true, true, false).code
}

function lower(
  file: string,
  code: string,
  options: ClassCompileOptions,
  define: boolean,
  removeUninitialised: boolean,
  sourcemap: boolean,
): LoweredModule {
  const lang = file.endsWith('x') ? 'tsx' : 'ts'
  const result = transformSync(file, code, {
    lang,
    sourceType: 'module',
    sourcemap,
    target: 'esnext',
    jsx: 'preserve',
    decorator: { legacy: true, emitDecoratorMetadata: options.emitDecoratorMetadata === true },
    typescript: { removeClassFieldsWithoutInitializer: removeUninitialised },
    assumptions: { setPublicClassFields: !define },
  })
  if (result.errors.length > 0) throw oxcError('Transform', file, code, result.errors)
  return { code: result.code, map: result.map as LoweredModule['map'] }
}

const helperPrefix = '@oxc-project/runtime/helpers/'
let helpersDir: string | undefined

/**
 * Where an Oxc runtime helper the lowering imports lives, as an ES module. Vite 8 resolves these itself;
 * Vite 7 knows nothing of them, and the project need not depend on `@oxc-project/runtime`: hotclass does.
 */
export function resolveHelper(source: string): string | undefined {
  if (!source.startsWith(helperPrefix)) return undefined
  const name = source.slice(helperPrefix.length)
  helpersDir ??= dirname(createRequire(import.meta.url).resolve(`${helperPrefix}decorate`))
  const path = join(helpersDir, 'esm', `${name}.js`)
  return existsSync(path) ? path : undefined
}
