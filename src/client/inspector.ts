import { inspect } from '../core/inspect.ts'
import type { RegistryView } from '../core/inspect.ts'
import type { ModuleProblem, PendingModule } from './protocol.ts'
import { rollback } from '../core/swap.ts'
import type { SwapReport } from '../core/types.ts'
import { clientState, doReload, reloader } from './page.ts'

/** `globalThis.__HOTCLASS__` in development: live getters, for tests, devtools and the demo's HUD. */
export interface HotclassInspector {
  readonly registry: RegistryView
  readonly pending: readonly PendingModule[]
  readonly problems: readonly ModuleProblem[]
  readonly lastReport: SwapReport | undefined
  readonly reloadCount: number
  readonly mode: 'probe' | 'auto'
  readonly key: string
  /** Whether the dev server has answered this page. */
  readonly connected: boolean
  doReload(): Promise<SwapReport>
  rollback(): Promise<SwapReport>
}

declare global {
  // oxlint-disable-next-line no-underscore-dangle -- the name the issue and the demo's HUD rely on
  var __HOTCLASS__: HotclassInspector | undefined
}

/** Publish the inspector. The client only exists in development, so neither does this object. */
export function installInspector(): void {
  const view: HotclassInspector = {
    get registry() {
      return inspect()
    },
    get pending() {
      return clientState.current().pending
    },
    get problems() {
      return clientState.current().problems
    },
    get lastReport() {
      return reloader.lastReport
    },
    get reloadCount() {
      return reloader.reloadCount
    },
    get mode() {
      return clientState.current().mode
    },
    get key() {
      return clientState.current().key
    },
    get connected() {
      return clientState.current().connected
    },
    doReload,
    rollback,
  }
  Object.defineProperty(globalThis, '__HOTCLASS__', { value: view, configurable: true, enumerable: false })
}
