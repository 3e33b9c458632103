import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative, resolve } from 'node:path'

/** The compiler options that decide how decorators and class fields are compiled. */
export interface ClassCompileOptions {
  experimentalDecorators: boolean | undefined
  emitDecoratorMetadata: boolean | undefined
  useDefineForClassFields: boolean | undefined
  target: string | undefined
  /** The tsconfig file these were read from (root-relative when under the root), for messages. */
  file: string | undefined
}

type Raw = Omit<ClassCompileOptions, 'file'>
interface Loaded {
  options: Raw
  include: string[] | undefined
  files: string[] | undefined
  references: string[]
}

const keys = ['experimentalDecorators', 'emitDecoratorMetadata', 'useDefineForClassFields', 'target'] as const

/**
 * Reads, for a module, the class-compilation options of the tsconfig that governs it, the way
 * TypeScript and Vite find it: the nearest `tsconfig.json` up from the module, its `extends` chain
 * (relative paths and packages), and for a solution-style config (`"files": []` with `references`, as
 * Vite's templates write it) the referenced config whose `include` covers the module. Parsed once per
 * file; a config that does not parse counts as empty.
 */
export class TsconfigReader {
  private readonly loaded = new Map<string, Loaded>()
  private readonly nearest = new Map<string, string | undefined>()

  constructor(private readonly root: string) {}

  optionsFor(file: string): ClassCompileOptions {
    const config = this.find(dirname(file))
    if (!config) return { ...empty(), file: undefined }
    let chosen = config
    const top = this.load(config)
    if (top.references.length > 0 && !covers(top, config, file)) {
      chosen = top.references.find((ref) => covers(this.load(ref), ref, file)) ?? config
    }
    const name = chosen.startsWith(`${this.root}/`) ? relative(this.root, chosen) : chosen
    return { ...this.load(chosen).options, file: name }
  }

  private find(dir: string): string | undefined {
    if (this.nearest.has(dir)) return this.nearest.get(dir)
    const here = join(dir, 'tsconfig.json')
    const parent = dirname(dir)
    const found = existsSync(here) ? here : parent === dir ? undefined : this.find(parent)
    this.nearest.set(dir, found)
    return found
  }

  private load(file: string, seen = new Set<string>()): Loaded {
    const cached = this.loaded.get(file)
    if (cached) return cached
    const json = readJsonc(file)
    const dir = dirname(file)
    let options = empty()
    if (!seen.has(file)) {
      seen.add(file)
      const parents =
        typeof json.extends === 'string' ? [json.extends] : Array.isArray(json.extends) ? json.extends : []
      for (const parent of parents) {
        const path = typeof parent === 'string' ? resolveExtends(parent, file) : undefined
        if (path) options = merge(options, this.load(path, seen).options)
      }
    }
    const compilerOptions = (json.compilerOptions ?? {}) as Record<string, unknown>
    const own: Partial<Raw> = {}
    for (const key of keys) {
      const value = compilerOptions[key]
      if (typeof value === 'boolean' || typeof value === 'string') (own as Record<string, unknown>)[key] = value
    }
    const references = Array.isArray(json.references)
      ? json.references.flatMap((r: { path?: unknown }) => {
          if (typeof r?.path !== 'string') return []
          const path = resolve(dir, r.path)
          return [path.endsWith('.json') ? path : join(path, 'tsconfig.json')]
        })
      : []
    const loaded: Loaded = {
      options: merge(options, own),
      include: Array.isArray(json.include) ? json.include.map(String) : undefined,
      files: Array.isArray(json.files) ? json.files.map(String) : undefined,
      references: references.filter((r: string) => existsSync(r)),
    }
    this.loaded.set(file, loaded)
    return loaded
  }
}

function empty(): Raw {
  return {
    experimentalDecorators: undefined,
    emitDecoratorMetadata: undefined,
    useDefineForClassFields: undefined,
    target: undefined,
  }
}

function merge(base: Raw, over: Partial<Raw>): Raw {
  const out = { ...base }
  for (const key of keys) if (over[key] !== undefined) (out as Record<string, unknown>)[key] = over[key]
  return out
}

/** Whether a config's `include` (or, without one, the default: everything under it) lists the file. */
function covers(config: Loaded, path: string, file: string): boolean {
  const dir = dirname(path)
  if (config.files && config.files.length === 0 && !config.include) return false
  if (config.files?.some((f) => resolve(dir, f) === file)) return true
  if (!config.include) return !config.files && file.startsWith(`${dir}/`)
  // Patterns are read as the directories they start with, which is how projects write them (`src`, `src/**/*.ts`).
  return config.include.some((pattern) => {
    const prefix = resolve(dir, pattern.replace(/[*?{[].*$/, '').replace(/\/$/, ''))
    return file === prefix || file.startsWith(`${prefix}/`)
  })
}

function resolveExtends(spec: string, from: string): string | undefined {
  const candidates = spec.endsWith('.json') ? [spec] : [spec, `${spec}.json`, `${spec}/tsconfig.json`]
  for (const candidate of candidates) {
    if (candidate.startsWith('.') || candidate.startsWith('/')) {
      const path = resolve(dirname(from), candidate)
      if (existsSync(path)) return path
      continue
    }
    try {
      return createRequire(from).resolve(candidate)
    } catch {
      // not this spelling; try the next
    }
  }
  return undefined
}

/** tsconfig files are JSON with comments and trailing commas. */
function readJsonc(
  file: string,
): Record<string, unknown> & { extends?: unknown; references?: unknown; include?: unknown; files?: unknown } {
  try {
    return JSON.parse(stripJsonc(readFileSync(file, 'utf8'))) as Record<string, unknown>
  } catch {
    return {}
  }
}

/** tsconfig's JSONC as JSON: comments and trailing commas go, strings stay as they are. */
export function stripJsonc(text: string): string {
  let out = ''
  /** A comma waits for the next token, which says whether it was a trailing one (`[1, 2,]`). */
  let comma = ''
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++
      out += '\n'
    } else if (c === '/' && text[i + 1] === '*') {
      i = text.indexOf('*/', i + 2)
      if (i < 0) break
      i++
    } else if (/\s/.test(c)) {
      out += c
    } else {
      if (comma && c !== '}' && c !== ']') out += comma
      comma = ''
      if (c === ',') {
        comma = ','
      } else if (c === '"') {
        const start = i
        for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++
        out += text.slice(start, i + 1)
      } else {
        out += c
      }
    }
  }
  return out + comma
}
