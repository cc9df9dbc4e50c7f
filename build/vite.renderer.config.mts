/**
 * Vite config for the renderer bundle (React app), shared by Electron (loaded from file://) and
 * `heapscope serve` (served from /). Output: dist/renderer/index.html + dist/renderer/assets/*.
 *
 *   npx vite build --config build/vite.renderer.config.ts
 *   npx vite --config build/vite.renderer.config.ts          (dev server, see renderer/README.md)
 *
 * - `base: './'`: every asset URL is relative, so the same files work from file:// and from /.
 * - No runtime network: everything (the UI font, renderer/src/styles/fonts.css; d3-flame-graph's
 *   CSS) is bundled. The font is preloaded from the page's head (`preloadFonts`).
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

/**
 * `<link rel="preload" as="font">` for each bundled font (renderer/src/styles/fonts.css: one file,
 * on the first screen), so it is fetched beside the bundle and is in before the first layout
 * (fonts.css says why that matters). A build with none fails: the page would fall back to the
 * system's fonts without a word.
 */
function preloadFonts(): Plugin {
  return {
    name: 'heapscope-preload-fonts',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const files = Object.keys(ctx.bundle ?? {})
          .filter((f) => f.endsWith('.woff2'))
          .sort();
        if (!files.length) throw new Error('preloadFonts: no font in the bundle (renderer/src/styles/fonts.css)');
        return files.map((f) => ({
          tag: 'link',
          attrs: { rel: 'preload', as: 'font', type: 'font/woff2', crossorigin: '', href: `./${f}` },
          injectTo: 'head' as const,
        }));
      },
    },
  };
}

export default defineConfig({
  root: resolve(repo, 'renderer'),
  base: './',
  publicDir: false,
  plugins: [devOnlyRelaxedCsp(), preloadFonts()],
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
        // React (react, its JSX runtime, react-dom, scheduler) is a chunk of its own, 220 of the boot
        // bundle's 370 KB: the browser compiles each script on a background thread as it arrives,
        // so the two compile side by side instead of one after the other while the page waits.
        // The app's modules that both the boot bundle and lazy views import (format.ts, errors.ts,
        // ErrorBanner.tsx) go in it too: left alone, rolldown gave them two chunks of 2 KB each,
        // two more requests for a fresh page, and each costs it ~7 ms on a busy machine (the
        // first flame graph 14 ms sooner without them: 120 fresh pages each, alternating).
        // test/unit/renderer/boot-chunks.test.ts fails when a new shared module adds a request.
        codeSplitting: {
          groups: [{ name: 'shared', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]|renderer[\\/]src[\\/](lib[\\/]format\.ts|status[\\/]ErrorBanner\.tsx)|shared[\\/]errors\.ts/ }],
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
