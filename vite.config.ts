import { defineConfig } from 'vite'

// The demo game: served from demo/, static assets from public/. `hotclass` resolves to ../src through
// the package's own `exports` (a package may import itself by name), so the game, the client and the
// tests all share one instance of the core.
export default defineConfig({
  root: 'demo',
  publicDir: '../public',
  oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
  // Listed up front so the dev server never discovers a dependency mid-session: a late discovery
  // re-optimises and reloads the page, which is exactly what a hot-swap demo must not do.
  optimizeDeps: { include: ['pixi.js', 'debug'] },
})
