#!/usr/bin/env node
// Builds everything into dist/: the Node bundles (CLI + serve, analysis worker, Electron main and
// preload) with esbuild, and the renderer with Vite. Runs on `npm install` (prepare) so
// `npx heapscope` works with no separate step.
//   node build/build.mjs [--quiet] [--node-only] [--bench]
import { build } from 'esbuild';
import { copyFileSync, readFileSync, readdirSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const quiet = args.has('--quiet');
const log = (s) => quiet || console.log(s);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const t0 = Date.now();

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  absWorkingDir: root,
  define: { __HEAPSCOPE_VERSION__: JSON.stringify(pkg.version) },
};

/** esbuild plugin: the named packages count as side-effect free (unused imports of them are dropped). */
function sideEffectFree(packages) {
  const filter = new RegExp(`^(${packages.join('|')})(/|$)`);
  return {
    name: 'side-effect-free',
    setup(b) {
      b.onResolve({ filter }, async (args) => {
        if (args.pluginData === 'side-effect-free') return undefined;
        const r = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'side-effect-free' });
        return r.errors.length ? { errors: r.errors } : { ...r, sideEffects: false };
      });
    },
  };
}

mkdirSync(join(root, 'dist'), { recursive: true });
const jobs = [
  build({ ...common, entryPoints: { cli: 'electron/cli/main.ts', 'serve-app': 'electron/services/serve-app.ts', worker: 'electron/worker/analysis-worker.ts' }, outdir: 'dist' }),
  // The lean CLI (electron/cli/lean.ts, timed against `go tool pprof`): minizlib and minipass (the
  // heap-dump stream inflater) are declared free of side effects, so the bundle leaves them, and
  // the assert/stream/string_decoder built-ins they load, out when no code of it uses them.
  build({ ...common, entryPoints: { 'cli-lean': 'electron/cli/lean.ts' }, outdir: 'dist', plugins: [sideEffectFree(['minizlib', 'minipass'])] }),
  build({ ...common, entryPoints: { main: 'electron/main/main.ts', preload: 'electron/preload/preload.ts' }, outdir: 'dist', external: ['electron'] }),
];
if (args.has('--bench')) {
  const benchDir = join(root, 'test', 'bench');
  const entries = readdirSync(benchDir).filter((f) => f.endsWith('.bench.ts'));
  if (entries.length) {
    jobs.push(
      build({
        ...common,
        entryPoints: Object.fromEntries(entries.map((f) => [f.replace(/\.ts$/, ''), join('test', 'bench', f)])),
        outdir: 'dist/bench',
        external: ['playwright-core', 'electron', 'fsevents'],
      }),
    );
  }
}
await Promise.all(jobs);
log(`built Node bundles in ${Date.now() - t0} ms`);

if (!args.has('--node-only')) {
  // The flame graph's d3-flame-graph carries patches/d3-flame-graph+*.patch (labels only for frames
  // wide enough to show one; one listener per event on the svg, not three per frame; no default
  // colour computed for a mapper that ignores it), applied by patch-package in `prepare`. Never
  // ship the unpatched one.
  const flameDist = join(root, 'node_modules', 'd3-flame-graph', 'dist', 'd3-flamegraph.es.js');
  // One marker per change of the patch: a copy patched by an older version fails too.
  const flameSrc = readFileSync(flameDist, 'utf8');
  const patchMarkers = ["Heapscope's patch", 'function frameOf(', '_.length < 2 ? (d) => _(d)'];
  if (!patchMarkers.every((m) => flameSrc.includes(m))) {
    console.error(`build: ${flameDist} lacks patches/d3-flame-graph+*.patch; run \`npx patch-package\` (npm ci runs it) and build again`);
    process.exit(1);
  }
  const t1 = Date.now();
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: join(root, 'build', 'vite.renderer.config.mts'), logLevel: quiet ? 'error' : 'warn' });
  log(`built renderer in ${Date.now() - t1} ms`);
  // The bundled UI font's license (SIL OFL: it travels with the font; renderer/src/styles/fonts.css).
  mkdirSync(join(root, 'dist', 'renderer', 'licenses'), { recursive: true });
  copyFileSync(join(root, 'node_modules', '@fontsource-variable', 'noto-sans', 'LICENSE'), join(root, 'dist', 'renderer', 'licenses', 'noto-sans-OFL.txt'));
  const t2 = Date.now();
  await viteBuild({ configFile: join(root, 'build', 'vite.report.config.mts'), logLevel: quiet ? 'error' : 'warn' });
  log(`built report viewer in ${Date.now() - t2} ms`);
}
