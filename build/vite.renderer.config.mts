/**
 * Vite config for the renderer bundle (React app), shared by Electron (loaded from file://) and
 * `heapscope serve` (served from /). Output: dist/renderer/index.html + dist/renderer/assets/*.
 *
 *   npx vite build --config build/vite.renderer.config.ts
 *   npx vite --config build/vite.renderer.config.ts          (dev server, see renderer/README.md)
 *
 * - `base: './'`: every asset URL is relative, so the same files work from file:// and from /.
 * - No runtime network: everything (fonts are system fonts; d3-flame-graph's CSS) is bundled.
 * - assetsInlineLimit 0: no data: URLs for fonts/other assets (the CSP allows data: for images only).
 * - The CSP lives in renderer/index.html. Vite's dev server injects <style> tags and a websocket for
 *   HMR, so in `serve` mode only, a tiny plugin relaxes style-src/connect-src. Builds keep it strict.
 */
import { defineConfig, type Plugin } from 'vite';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');

function devOnlyRelaxedCsp(): Plugin {
  return {
    name: 'heapscope-dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html
        .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
        .replace("connect-src 'self'", "connect-src 'self' ws: http://127.0.0.1:*");
    },
  };
}

export default defineConfig({
  root: resolve(repo, 'renderer'),
  base: './',
  publicDir: false,
  plugins: [devOnlyRelaxedCsp()],
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'react' },
  },
  build: {
    outDir: resolve(repo, 'dist/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    sourcemap: true,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1024,
    rolldownOptions: {
      output: {
        // React's DOM renderer (207 of the boot bundle's 357 KB) is a chunk of its own: the browser
        // compiles each script on a background thread as it arrives, so the two compile side by side
        // instead of one after the other while the page waits (`npm run bench -- speed`).
        codeSplitting: {
          groups: [{ name: 'react-dom', test: /node_modules[\\/](react-dom|scheduler)[\\/]/ }],
        },
      },
      onwarn(warning, warn) {
        // React libraries mark modules 'use client'; meaningless in a client-only bundle.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    host: '127.0.0.1',
    fs: { allow: [repo] },
    // Point the dev server's /api at a running `heapscope serve` (HEAPSCOPE_API=http://127.0.0.1:PORT).
    ...(process.env.HEAPSCOPE_API ? { proxy: { '/api': { target: process.env.HEAPSCOPE_API, changeOrigin: true } } } : {}),
  },
});
