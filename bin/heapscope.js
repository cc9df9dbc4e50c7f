#!/usr/bin/env node
'use strict';
// Entry point of the `heapscope` command. The TypeScript sources are bundled into dist/ by
// `npm install` (the prepare script) or `npm run build`.
const path = require('node:path');
const fs = require('node:fs');
const dist = path.join(__dirname, '..', 'dist');
const cli = path.join(dist, 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write('heapscope: the build is missing (dist/cli.js). Run `npm install` or `npm run build` in ' + path.dirname(__dirname) + '\n');
  process.exit(1);
}
// Node 22+: cache the compiled bundles on disk (V8 code cache, in the OS temp folder), so every
// run after the first starts faster.
try {
  const m = require('node:module');
  if (typeof m.enableCompileCache === 'function') m.enableCompileCache();
} catch {
  // older Node, or a read-only cache folder: run uncached
}
const argv = process.argv.slice(2);
// dist/cli-lean.js (electron/cli/lean.ts) runs the commands timed against `go tool pprof` (top)
// without loading the rest of the CLI; it answers undefined for every other command line.
let run;
try {
  run = require(path.join(dist, 'cli-lean.js')).main(argv);
} catch (e) {
  if (!(e && e.code === 'MODULE_NOT_FOUND')) throw e;
}
(run || require(cli).main(argv)).then(function (code) {
  if (code) process.exitCode = code;
});
