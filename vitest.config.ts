import { defineConfig } from 'vitest/config'
import { hotclass } from './src/vite/index.ts'

export default defineConfig({
  // The same plugin the game runs, so tests see module ids and the transform. It turns on Oxc's legacy
  // decorators itself; they are also spelled out here so the config reads the same without it.
  plugins: [hotclass({ mode: 'auto' })],
  oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
})
