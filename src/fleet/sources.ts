import { readdirSync } from 'node:fs'
import { join } from 'node:path'

const sourceFile = /\.(?:[cm]?[jt]sx?)$/
const skipped = new Set(['node_modules', 'dist', 'build', 'coverage'])

/** Every script file under the root that a coordinator watches (not node_modules, builds or dot folders). */
export function listSources(root: string): string[] {
  const files: string[] = []
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || skipped.has(entry.name)) continue
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.isFile() && sourceFile.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(path)
    }
  }
  walk(root)
  return files.toSorted()
}
