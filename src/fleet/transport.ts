import { isAbsolute, join, relative, sep } from 'node:path'
import type { DevEnvironment } from 'vite'
import type { ModuleRunnerTransport } from 'vite/module-runner'
import type { ModuleStore } from './store.ts'

type InvokePayload = { type: 'custom'; event: 'vite:invoke'; data: { id: string; name: string; data: unknown[] } }

function cleanId(id: string): string {
  return id.replace(/[?#].*$/, '')
}

/**
 * A module runner transport for a fleet member: modules a patch changed are served from the patch
 * (the coordinator's transform, so this process never reads or transforms them from its own disk), every
 * other module from this process's own Vite server, exactly as `createServerModuleRunner` would.
 */
export function createPatchTransport(
  environment: DevEnvironment,
  root: string,
  store: ModuleStore,
): ModuleRunnerTransport {
  const idOf = (file: string): string | undefined => {
    const rel = relative(root, cleanId(file))
    return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? undefined : rel.split(sep).join('/')
  }
  /** The root-relative id a runner url names, when the store serves it. */
  const patchedId = (url: string): string | undefined => {
    if (store.size === 0) return undefined
    const clean = cleanId(url)
    if (clean.startsWith(`${root}/`)) {
      const id = idOf(clean)
      return id !== undefined && store.has(id) ? id : undefined
    }
    // The transform writes imports of files under the root as root-relative urls: `/src/enemy.ts`.
    if (clean.startsWith('/') && !clean.startsWith('/@')) {
      const id = clean.slice(1)
      return store.has(id) ? id : undefined
    }
    return undefined
  }

  const fetchPatched = (id: string, cached: boolean) => {
    if (cached) return { cache: true }
    const file = join(root, id)
    return {
      code: `${store.get(id)}\n//# sourceURL=${file}\n`,
      file,
      id: file,
      url: `/${id}`,
      invalidate: false,
    }
  }

  return {
    async invoke(payload) {
      const { name, data } = (payload as InvokePayload).data
      if (name === 'fetchModule') {
        const [url, , options] = data as [string, string | undefined, { cached?: boolean } | undefined]
        const id = patchedId(url)
        if (id !== undefined) return { result: fetchPatched(id, options?.cached === true) }
      }
      return environment.hot.handleInvoke(payload as InvokePayload)
    },
  }
}
