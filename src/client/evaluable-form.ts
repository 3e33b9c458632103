/**
 * What the dev server (src/vite/evaluable.ts) and the page (src/client/evaluate.ts) agree on for a
 * module version evaluated as a function instead of imported.
 */

/** Under Vite's `base`: `<base>@hotclass/evaluable/<module path>?t=<version>`. */
export const EVALUABLE_PATH = '@hotclass/evaluable/'

/** The server's answer says how the page should evaluate swapped versions: `function` or `module`. */
export const EVALUATE_HEADER = 'x-hotclass-evaluate'

/**
 * Lines `new AsyncFunction(params, body)` puts ahead of the body: the spec builds its source text as
 * `async function anonymous(<params>\n) {\n<body>\n}` (CreateDynamicFunction), so the body starts on line 3.
 */
export const EVALUABLE_PADDING_LINES = 2

/**
 * The names Vite's module runner transform gives what a module imports, exports and reads of
 * `import.meta` (Vite's `ssrModuleExportsKey` and the rest), in the order the page passes them.
 */
export const RUNNER_PARAMS = [
  '__vite_ssr_exports__',
  '__vite_ssr_import_meta__',
  '__vite_ssr_import__',
  '__vite_ssr_dynamic_import__',
  '__vite_ssr_exportAll__',
  '__vite_ssr_exportName__',
] as const
