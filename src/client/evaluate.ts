import { EVALUABLE_PATH, EVALUATE_HEADER, RUNNER_PARAMS } from './evaluable-form.ts'
import { problemError } from './failed-import.ts'
import type { ModuleProblem } from './protocol.ts'

/**
 * Swapped versions evaluated as functions, outside the browser's module map.
 *
 * Measured (bench/browser-memory.mjs, Chromium): a page keeps every module record it ever imported, its
 * compiled code and its environment, so each swap through a new `?t=` URL cost 2.3 KB at least, for as
 * long as the page lived, although the core holds only the last 20 steps' versions. A function the page
 * compiles and drops is collected with the versions that close over it. The dev server offers each
 * version rewritten as Vite's module runner rewrites modules (src/vite/evaluable.ts); this evaluates it
 * with `new AsyncFunction`, supplying imports, exports and `import.meta` the way the module would see them:
 * - an import of a version this swap evaluates (another pending module) gets that evaluation's exports;
 * - an import of a module whose latest version was evaluated here gets that version's exports;
 * - anything else is the page's own module, `import()`ed (already in the module map: no new record).
 *
 * Falls back to importing modules (returns undefined) when the page forbids `unsafe-eval` (CSP, Trusted
 * Types) or the server says `evaluate: 'module'`.
 */

/** What one evaluated version exposes while it runs and after. */
interface Evaluation {
  exports: object
  done: Promise<object>
  settled: boolean
}

/** A version fetched and compiled ahead of the key. */
interface Compiled {
  run: (...args: unknown[]) => Promise<void>
  body: string
}

/** The page's evaluator of swapped versions; one per page, built by `createBrowserHost`. */
export interface FunctionEvaluator {
  /** Whether versions are still evaluated as functions (false after a CSP refusal or the server's `module`). */
  readonly active: boolean
  /**
   * Evaluate the version at `href` (a module URL with `?t=`) and resolve to its exports, or to undefined
   * if this page imports modules instead. Evaluates each href once per swap.
   */
  evaluate(href: string): Promise<object | undefined>
  /** Fetch and compile a pending version ahead of the key; resolves false if the page imports modules instead. */
  prepare(href: string): Promise<boolean>
  /** Forget prepared versions that are no longer pending. */
  keepPrepared(hrefs: ReadonlySet<string>): void
  /** The swap ended: committed versions become what later imports of their modules get; the rest are dropped. */
  settle(committed: boolean): void
  /** The evaluated text of a version this swap or a prepare fetched (its positions are what stacks name). */
  bodyOf(href: string): string | undefined
}

export interface EvaluatorDeps {
  /** The page's root URL (origin plus Vite's `base`), ending in `/`. */
  root: string
  /** Whether `href` is a pending version a swap may evaluate here (rather than a module to import). */
  isSwapVersion(href: string): boolean
  /** Whether the server said `evaluate: 'module'` (its state message), so no version is fetched as a function. */
  importsModules?(): boolean
}

// oxlint-disable-next-line no-empty-function -- only its constructor is wanted
const AsyncFunction = async function () {}.constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>

/** The module path of a URL, without its query: the key a module's versions share. */
const pathOf = (url: string): string => url.replace(/[?#].*$/, '')
const isVersion = (url: string): boolean => /[?&]t=\d/.test(url)

/** Whether this page lets code be compiled from strings; a CSP without `unsafe-eval` refuses it. */
function evalAllowed(): boolean {
  try {
    // oxlint-disable-next-line no-new-func -- the point of the check
    return typeof new Function('') === 'function'
  } catch {
    return false
  }
}

export function createEvaluator(deps: EvaluatorDeps): FunctionEvaluator {
  let active = true
  let checked = false
  /** This swap's evaluations by href; dropped or promoted when it settles. */
  let current = new Map<string, Evaluation>()
  /** The latest committed evaluation of each module path. */
  const latest = new Map<string, object>()
  /** Namespaces of the page's own modules, once imported (or the lookup in flight): the next import of one costs a microtask. */
  const modules = new Map<string, object | Promise<object>>()
  const compiled = new Map<string, Promise<Compiled | undefined>>()
  const bodies = new Map<string, string>()

  const off = (): undefined => {
    active = false
    return undefined
  }

  async function fetchBody(href: string): Promise<string | undefined> {
    if (!checked) {
      checked = true
      if (!evalAllowed()) return off()
    }
    if (deps.importsModules?.()) return off()
    if (!active) return undefined
    const url = `${deps.root}${EVALUABLE_PATH}${href.slice(deps.root.length)}`
    const res = await fetch(url)
    if (res.headers.get(EVALUATE_HEADER) === 'module') return off()
    if (res.status === 404) {
      throw Object.assign(new Error(`${pathOf(href)} is not served by the dev server (404)`), {
        code: 'ERR_MODULE_NOT_FOUND',
      })
    }
    if (res.status === 500 && res.headers.get('content-type')?.includes('json')) {
      throw problemError((await res.json()) as ModuleProblem)
    }
    if (!res.ok) throw new Error(`the dev server answered ${res.status} for ${pathOf(href)}`)
    return res.text()
  }

  function compile(href: string): Promise<Compiled | undefined> {
    let c = compiled.get(href)
    if (!c) {
      c = fetchBody(href).then((text) => {
        if (text === undefined) return undefined
        // The stack names the version's own URL, so the overlay finds it (failed-import.ts) as it would a module's.
        const at = text.lastIndexOf('//# sourceMappingURL=')
        const body =
          at >= 0 ? `${text.slice(0, at)}//# sourceURL=${href}\n${text.slice(at)}` : `${text}//# sourceURL=${href}\n`
        return { run: new AsyncFunction(...RUNNER_PARAMS, body), body }
      })
      compiled.set(href, c)
      // A failed fetch is the swap's to report; a later prepare may try again.
      c.catch(() => compiled.delete(href))
    }
    return c
  }

  /** What an import from evaluated code gets. */
  function load(url: string): object | Promise<object> {
    const running = current.get(url)
    // Still running means a cycle back to it: its exports so far, as Vite's module runner gives them.
    if (running) return running.settled ? running.done : running.exports
    if (isVersion(url)) {
      if (deps.isSwapVersion(url)) return evaluate(url).then((ns) => ns ?? import(/* @vite-ignore */ url))
      const committed = latest.get(pathOf(url))
      if (committed) return committed
    }
    const known = modules.get(url)
    if (known) return known
    // The lookup in flight is shared: a swap that comes while the prepare's lookups still wait for their
    // tasks (each `import()` waits behind a frame) does not start a second one per import.
    const lookup = (import(/* @vite-ignore */ url) as Promise<object>).then(
      (ns) => {
        modules.set(url, ns)
        return ns
      },
      (error: unknown) => {
        modules.delete(url)
        throw error
      },
    )
    modules.set(url, lookup)
    return lookup
  }

  async function run(href: string, code: Compiled, evaluation: Evaluation): Promise<object> {
    const exports = evaluation.exports
    const meta = { url: href, resolve: (specifier: string) => new URL(specifier, href).href }
    const importer = (specifier: string): object | Promise<object> => load(new URL(specifier, href).href)
    await code.run(
      exports,
      meta,
      importer,
      (specifier: unknown) => importer(String(specifier)),
      (from: object) => exportAll(exports, from),
      (name: string, get: () => unknown) =>
        Object.defineProperty(exports, name, { enumerable: true, configurable: true, get }),
    )
    return Object.seal(exports)
  }

  async function evaluate(href: string): Promise<object | undefined> {
    const known = current.get(href)
    if (known) return known.done
    const code = await compile(href)
    if (!code) return undefined
    // Evaluated once per swap even if two imports raced to it while it compiled.
    const raced = current.get(href)
    if (raced) return raced.done
    bodies.set(href, code.body)
    compiled.delete(href)
    const exports = Object.create(null) as object
    Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' })
    const evaluation: Evaluation = { exports, done: Promise.resolve(exports), settled: false }
    current.set(href, evaluation)
    evaluation.done = run(href, code, evaluation).finally(() => {
      evaluation.settled = true
    })
    return evaluation.done
  }

  return {
    get active() {
      return active
    },
    evaluate,
    async prepare(href) {
      const code = await compile(href).catch(() => null)
      if (code === undefined) return false
      if (code === null) return true
      // Its imports of the page's own modules are looked up now, so the key costs no task per import.
      for (const m of code.body.matchAll(/__vite_ssr_import__\(("(?:[^"\\]|\\.)*")/g)) {
        const url = new URL(JSON.parse(m[1]!) as string, href).href
        if (!isVersion(url) && !modules.has(url)) void Promise.resolve(load(url)).catch(() => undefined)
      }
      return true
    },
    keepPrepared(hrefs) {
      for (const href of compiled.keys()) if (!hrefs.has(href)) compiled.delete(href)
    },
    settle(committed) {
      for (const [href, evaluation] of current) {
        if (committed && evaluation.settled) latest.set(pathOf(href), evaluation.exports)
        bodies.delete(href)
      }
      current = new Map()
    },
    bodyOf: (href) => bodies.get(href),
  }
}

/** `export * from`: the source's names the module does not define itself (Vite's module runner's rule). */
function exportAll(exports: object, from: object): void {
  if (exports === from || from === null || typeof from !== 'object' || Array.isArray(from) || from instanceof Promise)
    return
  for (const key in from) {
    if (key === 'default' || key === '__esModule' || key in exports) continue
    try {
      Object.defineProperty(exports, key, {
        enumerable: true,
        configurable: true,
        get: () => (from as Record<string, unknown>)[key],
      })
    } catch {
      // a name defined twice: the first stays, as in Vite's runner
    }
  }
}
