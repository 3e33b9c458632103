import MagicString from 'magic-string'
import { analyse } from './analysis.ts'
import { capturesEmitter } from './captures.ts'
import { classesEmitter } from './classes.ts'
import type { TransformContext } from './context.ts'
import { continuityEmitter } from './continuity.ts'
import { fieldsEmitter } from './fields.ts'
import { moduleIdEmitter } from './module-id.ts'
import { isSwappable } from './swappable.ts'

/**
 * The transform the plugin runs on every project module, after Oxc has lowered it (so the code is plain
 * JS with legacy decorators lowered to `_decorate([reloadable(...)], X)`). The module is parsed and
 * analysed once (analysis.ts); then each emitter reads the analysis and edits through one MagicString,
 * so one source map covers every edit. Order matters: continuity first (its cell rewrites are read back
 * by the fields emitter), module ids last (they carry what the fields emitter recorded).
 */
const emitters: ReadonlyArray<(ctx: TransformContext) => void> = [
  continuityEmitter,
  fieldsEmitter,
  classesEmitter,
  capturesEmitter,
  moduleIdEmitter,
]

export interface TransformOptions {
  /** Whether an import specifier, seen from this module, names the hotclass core entry. */
  isHotclassEntry?: (specifier: string) => boolean
  /**
   * The module lowered with define semantics for class fields, when the project compiles with
   * `useDefineForClassFields: false`: its class bodies still declare the fields the real output turned
   * into constructor assignments, so the fields emitter reads them from there.
   */
  fieldsSource?: string
  /**
   * Serve a swappable module with a gate ahead of its body (`await globalThis.__HOTCLASS_GATE__?.(...)`):
   * the probe client imports a pending version before the key and holds it there (client/prepared.ts).
   */
  gate?: boolean
  /** Append a self-accept to swappable modules so Vite stops HMR propagation there (default true). */
  selfAccept?: boolean
  /**
   * Build a source map (default true). False when the host maps the module itself after Vite's SSR
   * transform (a huge module, deferred-maps.ts): the map is then `{ mappings: '' }`, Vite's "none".
   */
  sourceMap?: boolean
}

export interface TransformOutput {
  code: string
  map: ReturnType<MagicString['generateMap']> | { mappings: '' }
  swappable: boolean
}

/** What makes a module worth parsing at all: it mentions the decorator, or the continuity emitter wants it. */
export function mayNeedTransform(code: string): boolean {
  return code.includes('reloadable') || TOP_LEVEL_STATE.test(code)
}

/** Oxc prints top-level statements at column 0: a declaration there is module state the continuity emitter keeps. */
const TOP_LEVEL_STATE =
  /^(?:export\s+default\s+[{[]|(?:export\s+(?:default\s+)?)?(?:const|let|var|function|async\s+function)\b)|\b(?:once|dispose)\(/m

/**
 * Above this size the source map is exact to the line, not the column. A column-exact map (a segment at
 * every word boundary) of a 4 MB generated module (level data) cost as much as parsing the module, and
 * Vite then traces every segment through the lowering's map: most of the swap's time. Hand-written
 * modules are far below it and keep column-exact stack traces and breakpoints.
 */
const COLUMN_MAP_LIMIT = 512 * 1024

/**
 * Run every emitter over one module. Returns undefined when nothing changed, so Vite keeps its own map.
 * Throws what `parseAst` throws for code that does not parse (the plugin reports it as a load error).
 */
export function runTransform(id: string, code: string, options: TransformOptions = {}): TransformOutput | undefined {
  const ctx = createContext(id, code, options)
  for (const emit of emitters) emit(ctx)
  const swappable = isSwappable(ctx.a, ctx.covered)
  if (swappable && options.selfAccept !== false) {
    // A swappable module accepts itself, so Vite never re-runs its importers or reloads the page for it;
    // the plugin's hotUpdate hook decides when it is re-imported (probe or auto).
    ctx.s.append('\nif (import.meta.hot) import.meta.hot.accept()\n')
    // Imports run before any statement anyway: the gate only holds the module's own body.
    if (options.gate) ctx.s.prepend('await globalThis.__HOTCLASS_GATE__?.(import.meta.url);\n')
  }
  if (!ctx.s.hasChanged()) return undefined
  return {
    code: ctx.s.toString(),
    map:
      options.sourceMap === false
        ? { mappings: '' }
        : ctx.s.generateMap({
            hires: code.length <= COLUMN_MAP_LIMIT ? 'boundary' : false,
            source: id,
            includeContent: true,
          }),
    swappable,
  }
}

/** Analyse one module and give its emitters a fresh context (tests run one emitter on it). */
export function createContext(id: string, code: string, options: TransformOptions = {}): TransformContext {
  const a = analyse(code, {
    isHotclassEntry: options.isHotclassEntry ?? isPackageEntry,
    fieldsSource: options.fieldsSource,
  })
  return {
    id,
    code,
    a,
    s: new MagicString(code),
    classInfo: new Map(),
    loweredCalls: new Set(),
    covered: new Set(a.reloadableBindings),
  }
}

function isPackageEntry(specifier: string): boolean {
  return specifier === 'hotclass'
}
