/**
 * hotclass/vite: the Vite plugin (module ids, self-accepting reloadable modules, the probe's server
 * half) and the transform pipeline, which the Node host and the project's vitest config run too.
 */
export { hotclass, hotclass as default } from './plugin.ts'
export type { HotclassPluginOptions } from './options.ts'
export { passes, runTransform, createContext, mayNeedTransform } from './transform/index.ts'
export type { TransformContext, TransformPass, TransformOptions, TransformOutput } from './transform/index.ts'
