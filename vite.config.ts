import { defineConfig } from 'vite'

// The demo game: served from demo/, static assets from public/.
export default defineConfig({
  root: 'demo',
  publicDir: '../public',
  oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
})
