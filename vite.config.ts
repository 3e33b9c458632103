import { defineConfig } from 'vite'
// A project that installs hotclass writes `import hotclass from 'hotclass/vite'`. Inside this repository
// the relative path is used: Vite bundles a config's relative imports, while a bare self-import would be
// left to Node, which cannot load the .ts sources the package points at.
import hotclass from './src/vite/index.ts'

// The demo game: served from demo/, static assets from public/. The plugin aliases `hotclass` and
// `hotclass/client` to this repository's sources, so the game, the client and the tests all share one
// instance of the core; it also turns on Oxc's legacy decorators.
export default defineConfig({
  root: 'demo',
  publicDir: '../public',
  // F5 swaps the changed modules into the running game. The game's HUD shows pending changes, swap
  // reports and broken edits itself, so the client's own overlay is off.
  plugins: [hotclass({ mode: 'probe', key: 'F5', overlay: false })],
  // Listed up front so the dev server never discovers a dependency mid-session: a late discovery
  // re-optimises and reloads the page, which is exactly what a hot-swap demo must not do.
  optimizeDeps: { include: ['pixi.js', 'debug'] },
  // Vite's error overlay would cover the arena on a broken edit, hiding that the game runs on; the
  // HUD names the file and line instead.
  server: { hmr: { overlay: false } },
})
