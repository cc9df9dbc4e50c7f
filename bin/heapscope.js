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
let lean;
try {
  lean = require(path.join(dist, 'cli-lean.js'));
} catch (e) {
  if (!(e && e.code === 'MODULE_NOT_FOUND')) throw e;
}
// `serve` and commands given big files start again with huge pages on Linux (electron/cli/relaunch.ts).
if (lean) lean.followParent();
const again = lean && lean.relaunchWithHugePages(argv);
// dist/cli-lean.js (electron/cli/lean.ts) runs the commands timed against `go tool pprof` (top)
// without loading the rest of the CLI; it answers undefined for every other command line.
const run = again || (lean && lean.main(argv));
(run || require(cli).main(argv)).then(function (code) {
  if (code) process.exitCode = code;
});
