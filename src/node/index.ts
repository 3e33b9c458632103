/**
 * hotclass/node: run a TypeScript program through Vite's module runner and hot-swap it while it runs
 * (the `hotclass` CLI is built on this), plus hot JSON config. `node:` imports and chokidar live here only.
 */
export { createNodeHost } from './host.ts'
export type { NodeHost, NodeHostOptions, HostMode, HostEvent, HotclassCore } from './host.ts'
export { watchConfig } from './hot-config.ts'
export type { HotConfig, HotConfigOptions, ConfigResult } from './hot-config.ts'
export { HotclassNodeError, NodeErrorCodes } from './errors.ts'
export type { NodeErrorCode } from './errors.ts'
