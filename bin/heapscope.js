#!/usr/bin/env node
'use strict';
// Entry point of the `heapscope` command. The TypeScript sources are bundled into dist/ by
// `npm install` (the prepare script) or `npm run build`.
const path = require('node:path');
const fs = require('node:fs');
const cli = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write('heapscope: the build is missing (dist/cli.js). Run `npm install` or `npm run build` in ' + path.dirname(__dirname) + '\n');
  process.exit(1);
}
// Node 22+: cache the compiled bundle on disk (V8 code cache), so every later run starts faster.
try {
  const m = require('node:module');
  if (typeof m.enableCompileCache === 'function') m.enableCompileCache();
} catch {
  // older Node, or a read-only cache folder: run uncached
}
require(cli).main(process.argv.slice(2)).then(function (code) {
  if (code) process.exitCode = code;
});
