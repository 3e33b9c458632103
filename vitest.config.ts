import { defineConfig } from 'vitest/config'
import { hotclass } from './src/vite/index.ts'

/** Tests that start processes or browsers (test/node/cli-process.ts, test/e2e/chromium.ts, npm). */
const integration = [
  'test/e2e/**/*.test.ts',
  'test/package/**/*.test.ts',
  'test/node/cli.test.ts',
  'test/node/colyseus.test.ts',
  'test/node/demo-server.test.ts',
  'test/node/references.test.ts',
  'test/node/watchdog.test.ts',
]
const fleet = ['test/fleet/fleet.test.ts', 'test/fleet/probe.test.ts', 'test/fleet/early.test.ts']

export default defineConfig({
  // The same plugin the game runs, so tests see module ids and the transform. It lowers modules with
  // reloadable classes itself, as tsconfig.base.json says; Vite's own Oxc pass gets the same options
  // here for test files that decorate without `reloadable`.
  plugins: [hotclass({ mode: 'auto' })],
  oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
  test: {
    testTimeout: 20_000,
    hookTimeout: 60_000,
    projects: [
      {
        // In-process tests: the core, the transform, the dev server's and the Node host's logic. No test
        // here starts a process or a browser.
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/.tmp/**', ...integration, ...fleet],
        },
      },
      {
        // What spawns processes or browsers: each e2e file runs a Vite dev server and Chromium, the CLI
        // tests run `hotclass` as a child process, test/package runs npm pack, npm install, a dev server
        // and the CLI. One file at a time, after the unit tests, so two cores are never shared by two
        // browsers and timings stay stable.
        extends: true,
        test: {
          name: 'integration',
          include: integration,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        // Real fleets: a redis-server, a coordinator and members as CLI processes per test. After the
        // browsers, so the two cores are never shared by both.
        extends: true,
        test: {
          name: 'fleet',
          include: fleet,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
})
