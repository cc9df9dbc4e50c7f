/**
 * Vite config for the HTML report viewer (renderer/report/): one self-contained IIFE + one stylesheet,
 * inlined into every report by shared/report/html.ts (electron/services/report-writer.ts reads them).
 * Output: dist/report/report.js + dist/report/report.css.
 *
 *   npx vite build --config build/vite.report.config.mts
 *
 * - Library mode, format 'iife': no module loader, no chunks; the app's lazy chunks (lib/lazy.tsx)
 *   are inlined (their import() resolves to code already in report.js). The build fails if any chunk
 *   or asset other than the two files would be emitted, or report.js would load another file.
 * - No assets: system fonts only, no images; a url(…) other than data: in the CSS fails the build.
 * - process.env.NODE_ENV is defined (library mode leaves it alone): React's production build.
 */
import { defineConfig, type Plugin } from 'vite';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');

function selfContained(): Plugin {
  return {
    name: 'heapscope-report-self-contained',
    apply: 'build',
    enforce: 'post',
    writeBundle(_opts, bundle) {
      const names = Object.keys(bundle).sort();
      const want = ['report.css', 'report.js'];
      if (names.join(',') !== want.join(',')) this.error(`the report viewer must build to exactly ${want.join(' + ')}, got ${names.join(', ')}`);
      for (const [name, out] of Object.entries(bundle)) {
        const text = out.type === 'chunk' ? out.code : typeof out.source === 'string' ? out.source : new TextDecoder().decode(out.source);
        if (name.endsWith('.css')) {
          const urls = [...text.matchAll(/url\(\s*(['"]?)([^'")\s]*)\1\s*\)/g)].map((m) => m[2]!).filter((u) => !u.startsWith('data:') && !u.startsWith('#'));
          if (urls.length) this.error(`report.css refers to external resources: ${urls.join(', ')}`);
          if (/@import/.test(text)) this.error('report.css has an @import');
        } else if (out.type === 'chunk') {
          // An inlined dynamic import is listed as an import of the chunk itself.
          const others = [...out.imports, ...out.dynamicImports].filter((n) => n !== name);
          if (others.length) this.error(`report.js imports other chunks: ${others.join(', ')}`);
          if (/\bimport\s*\(/.test(text)) this.error('report.js has a dynamic import() left');
        }
      }
    },
  };
}

export default defineConfig({
  root: resolve(repo, 'renderer'),
  base: './',
  publicDir: false,
  plugins: [selfContained()],
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'react' },
  },
  build: {
    outDir: resolve(repo, 'dist/report'),
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    sourcemap: false,
    minify: true,
    cssCodeSplit: false,
    copyPublicDir: false,
    modulePreload: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 2048,
    lib: {
      entry: resolve(repo, 'renderer/report/main.tsx'),
      formats: ['iife'],
      name: 'HeapscopeReport',
      fileName: () => 'report.js',
      cssFileName: 'report',
    },
    rolldownOptions: {
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
});
