#!/usr/bin/env node
// The hotclass CLI. Node 20 cannot run TypeScript, so this plain-JS stub asks Vite's module runner to
// load the CLI (src/node/cli.ts); the CLI then runs the user's entry through a runner of its own.
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runnerImport } from 'vite'

const cli = fileURLToPath(new URL('../src/node/cli.ts', import.meta.url))

let loaded
try {
  // Rooted at the package, so the CLI's files are always inside the loader's root.
  loaded = await runnerImport(cli, { root: dirname(dirname(dirname(cli))), logLevel: 'error' })
} catch (error) {
  process.stderr.write(`[hotclass] could not load the CLI: ${error instanceof Error ? error.message : error}\n`)
  process.exit(1)
}
await loaded.module.main(process.argv.slice(2))
