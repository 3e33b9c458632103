#!/usr/bin/env node
// The hotclass CLI. An installed package runs its build, dist/node/cli.js. In this repository the
// TypeScript sources are the truth (a dist/ left from an old build may be stale) and Node 20 cannot run
// them, so Vite's module runner loads src/node/cli.ts. Either way the CLI then runs the user's entry
// through a runner of its own.
import { existsSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const source = fileURLToPath(new URL('../src/node/cli.ts', import.meta.url))

let cli
try {
  if (existsSync(source)) {
    const { runnerImport } = await import('vite')
    // Rooted at the package, so the CLI's files are always inside the loader's root.
    const loaded = await runnerImport(source, { root: dirname(dirname(dirname(source))), logLevel: 'error' })
    cli = loaded.module
  } else {
    cli = await import('../dist/node/cli.js')
  }
} catch (error) {
  process.stderr.write(`[hotclass] could not load the CLI: ${error instanceof Error ? error.message : error}\n`)
  process.exit(1)
}
await cli.main(process.argv.slice(2))
