import { existsSync } from 'node:fs'
import { isBuiltin } from 'node:module'
import { join } from 'node:path'
import type { DevEnvironment } from 'vite'
import {
  ssrDynamicImportKey,
  ssrExportAllKey,
  ssrExportNameKey,
  ssrImportKey,
  ssrImportMetaKey,
  ssrModuleExportsKey,
} from 'vite/module-runner'
import type { Patch } from './messages.ts'
import type { ModuleStore } from './store.ts'
import { hashCode } from './store.ts'

const AsyncFunction = async function () {}.constructor as new (...args: string[]) => unknown

/**
 * Check a patch as far as possible without changing what runs: every module's code matches its hash
 * and compiles as the module runner will compile it, and everything it imports resolves in this
 * member's checkout (or comes with the patch). Evaluating the modules is what defines the new class
 * versions, so that waits for the commit. Resolves to a reason it cannot be applied, or undefined.
 */
export async function preparePatch(
  patch: Patch,
  environment: DevEnvironment,
  root: string,
  store: ModuleStore,
): Promise<string | undefined> {
  const inPatch = new Map(patch.modules.map((m) => [m.id, m]))
  for (const id of patch.order) if (!inPatch.has(id)) return `${id} is to be swapped but the patch does not carry it`
  for (const module of patch.modules) {
    if (module.code === null) {
      if (module.hash !== '') return `${module.id}: a module served from the checkout has no hash`
      if (!existsSync(join(root, module.id))) return `${module.id} is not in this member's checkout`
      continue
    }
    if (hashCode(module.code) !== module.hash) return `${module.id}: its code does not match its hash`
    try {
      void new AsyncFunction(
        ssrModuleExportsKey,
        ssrImportMetaKey,
        ssrImportKey,
        ssrDynamicImportKey,
        ssrExportAllKey,
        ssrExportNameKey,
        `"use strict";\n${module.code}`,
      )
    } catch (error) {
      return `${module.id} does not compile: ${error instanceof Error ? error.message : String(error)}`
    }
    const importer = join(root, module.id)
    for (const dep of module.deps) {
      let clean = dep.replace(/[?#].*$/, '')
      // Vite's url forms: `/@id/` wraps an id that is not a url, `__x00__` stands for a virtual id's \0.
      if (clean.startsWith('/@id/')) clean = clean.slice('/@id/'.length).replace(/^__x00__/, '\0')
      if (isBuiltin(clean) || clean.startsWith('\0')) continue // virtual modules come from this member's plugins
      if (clean.startsWith('/@fs/')) {
        if (!existsSync(clean.slice('/@fs'.length))) return `${module.id} imports ${dep}, which is not on this machine`
        continue
      }
      if (clean.startsWith('/') && !clean.startsWith('/@')) {
        const id = clean.slice(1)
        const patched = inPatch.get(id)
        if (patched ? patched.code !== null : store.has(id)) continue
        if (!existsSync(join(root, id))) return `${module.id} imports ${dep}, which is not in this member's checkout`
        continue
      }
      const resolved = await environment.pluginContainer.resolveId(clean, importer)
      if (!resolved) return `${module.id} imports ${dep}, which does not resolve here`
    }
  }
  return undefined
}
