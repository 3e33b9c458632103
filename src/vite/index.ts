/**
 * hotclass/vite: the Vite plugin (module ids, self-accepting reloadable modules, the probe's server
 * half), and the transform as one function, which the Node host and the project's vitest config run
 * through the plugin too. The transform's analysis and emitters stay internal.
 */
export { hotclass, hotclass as default } from './plugin.ts'
export type { HotclassPluginOptions } from './options.ts'
export { runTransform, mayNeedTransform } from './transform/index.ts'
export type { TransformOptions, TransformOutput } from './transform/index.ts'
