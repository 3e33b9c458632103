import { defineConfig } from 'vitest/config'
import { hotclass } from './src/vite/index.ts'

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
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'test/package/**', 'test/.tmp/**', 'test/fleet/fleet.test.ts'],
        },
      },
      {
        // Each e2e file runs a Vite dev server and Chromium (test/package: npm pack, npm install, a dev
        // server and the CLI): one file at a time, after the unit tests, so two cores are never shared
        // by two browsers and timings stay stable.
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts', 'test/package/**/*.test.ts'],
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
          include: ['test/fleet/fleet.test.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
})
