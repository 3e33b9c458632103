import MagicString from 'magic-string'
import { parseAst } from '../parse.ts'
import type { ESTree } from 'vite'
import { capturesPass } from './captures.ts'
import { classesPass } from './classes.ts'
import { continuityPass } from './continuity.ts'
import { fieldsPass } from './fields.ts'
import { moduleIdPass } from './module-id.ts'
import { findReloadableName } from './reloadable-import.ts'
import { allExportsReloadable } from './swappable.ts'

/**
 * The transform pipeline the plugin runs on every project module, after Vite's Oxc transform (so the
 * code is plain JS with legacy decorators lowered to `_decorate([reloadable(...)], X)`). Each pass
 * reads the shared context and edits through `s`, so one source map covers every pass.
 */
export interface TransformContext {
  /** Root-relative module id, e.g. `demo/entities/Enemy.ts` (query stripped). */
  id: string
  /** JS after Oxc. */
  code: string
  /** `parseAst(code)`: ESTree with `start`/`end` offsets into `code`. */
  ast: ESTree.Program
  /** All edits go through it, so the source map stays right. */
  s: MagicString
  /** The class bodies to read instance fields from: this module's own, or its define-semantics twin's. */
  fields: { ast: ESTree.Program; code: string; own: boolean }
  /** The local name `reloadable` is imported as (from 'hotclass' or a path to its entry), if imported. */
  reloadableName: string | undefined
  /** Class binding name -> extra TransformInfo properties as source text, e.g. `['fields: {...}']`. */
  classInfo: Map<string, string[]>
  /** Whether the module can be swapped in place: for now, every export is a reloadable class. */
  swappable: boolean
  /** `reloadable(...)` calls whose class the classes pass lowered (their info went to `__class.open`). */
  loweredCalls: Set<object>
  /** Whether an import specifier names the hotclass core entry (for `once`/`dispose` imports). */
  isHotclassEntry: (specifier: string) => boolean
}

export type TransformPass = (ctx: TransformContext) => void

/**
 * The passes, in order. Continuity passes (module state cells, field initialisers, exported functions)
 * are inserted before the module-id pass, which must run last because it writes `classInfo` out.
 */
export const passes: TransformPass[] = [continuityPass, fieldsPass, classesPass, capturesPass, moduleIdPass]

export interface TransformOptions {
  /** Whether an import specifier, seen from this module, names the hotclass core entry. */
  isHotclassEntry?: (specifier: string) => boolean
  /**
   * The module lowered with define semantics for class fields, when the project compiles with
   * `useDefineForClassFields: false`: its class bodies still declare the fields the real output turned
   * into constructor assignments, so the fields pass reads them from there.
   */
  fieldsSource?: string
  /**
   * Serve a swappable module with a gate ahead of its body (`await globalThis.__HOTCLASS_GATE__?.(...)`):
   * the probe client imports a pending version before the key and holds it there (client/prepared.ts).
   */
  gate?: boolean
  /** Append a self-accept to swappable modules so Vite stops HMR propagation there (default true). */
  selfAccept?: boolean
}

export interface TransformOutput {
  code: string
  map: ReturnType<MagicString['generateMap']>
  swappable: boolean
}

/** What makes a module worth parsing at all: it mentions the decorator, or a continuity pass wants it. */
export function mayNeedTransform(code: string): boolean {
  return code.includes('reloadable') || TOP_LEVEL_STATE.test(code)
}

/** Oxc prints top-level statements at column 0: a declaration there is module state the continuity pass keeps. */
const TOP_LEVEL_STATE =
  /^(?:export\s+default\s+[{[]|(?:export\s+(?:default\s+)?)?(?:const|let|var|function|async\s+function)\b)|\b(?:once|dispose)\(/m

/** Build the context for one module: parse once, find the decorator import, decide swappability. */
export function createContext(id: string, code: string, options: TransformOptions = {}): TransformContext {
  const ast = parseAst(code)
  const isHotclassEntry = options.isHotclassEntry ?? isPackageEntry
  const reloadableName = findReloadableName(ast, isHotclassEntry)
  return {
    id,
    code,
    ast,
    s: new MagicString(code),
    fields:
      options.fieldsSource === undefined
        ? { ast, code, own: true }
        : { ast: parseAst(options.fieldsSource), code: options.fieldsSource, own: false },
    reloadableName,
    classInfo: new Map(),
    loweredCalls: new Set(),
    swappable: reloadableName !== undefined && allExportsReloadable(ast, reloadableName),
    isHotclassEntry,
  }
}

/**
 * Run every pass over one module. Returns undefined when nothing changed, so Vite keeps its own map.
 * Throws what `parseAst` throws for code that does not parse (the plugin reports it as a load error).
 */
export function runTransform(id: string, code: string, options: TransformOptions = {}): TransformOutput | undefined {
  const ctx = createContext(id, code, options)
  for (const pass of passes) pass(ctx)
  if (ctx.swappable && options.selfAccept !== false) {
    // A swappable module accepts itself, so Vite never re-runs its importers or reloads the page for it;
    // the plugin's hotUpdate hook decides when it is re-imported (probe or auto).
    ctx.s.append('\nif (import.meta.hot) import.meta.hot.accept()\n')
    // Imports run before any statement anyway: the gate only holds the module's own body.
    if (options.gate) ctx.s.prepend('await globalThis.__HOTCLASS_GATE__?.(import.meta.url);\n')
  }
  if (!ctx.s.hasChanged()) return undefined
  return {
    code: ctx.s.toString(),
    map: ctx.s.generateMap({ hires: 'boundary', source: id, includeContent: true }),
    swappable: ctx.swappable,
  }
}

function isPackageEntry(specifier: string): boolean {
  return specifier === 'hotclass'
}
