#!/usr/bin/env node
// The lint rule that keeps the folder contracts (see each folder's README):
//  - shared/ imports nothing outside shared/ (no npm packages, no Node built-ins, no electron);
//  - renderer/ imports neither electron/ nor a Node built-in;
//  - only electron/main/** and electron/preload/** import `electron`.
// Imports are read with a real parser (oxc-parser): static imports, re-exports, dynamic import()
// and require() calls. Usage: node build/lint-boundaries.mjs [--root DIR] [--json]
import { parseSync } from 'oxc-parser';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const argv = process.argv.slice(2);
const rootArg = argv.indexOf('--root');
const root = resolve(rootArg >= 0 ? argv[rootArg + 1] : join(dirname(fileURLToPath(import.meta.url)), '..'));
const json = argv.includes('--json');
const SCAN = ['shared', 'renderer', 'electron', 'test', 'build'];
const SKIP_DIRS = new Set(['node_modules', 'dist', 'fixtures', 'test-output', 'lint-cases']);
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function* walk(dir) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e);
    const st = statSync(p);
    if (st.isDirectory()) {
      if (!SKIP_DIRS.has(e)) yield* walk(p);
    } else if (/\.(ts|tsx|mts|cts|js|mjs|cjs|jsx)$/.test(e) && !e.endsWith('.d.ts')) yield p;
  }
}

/** Every module specifier a file refers to, with its line. */
function importsOf(file, source) {
  const r = parseSync(file, source);
  const out = [];
  const lineOf = (pos) => source.slice(0, pos).split('\n').length;
  for (const i of r.module.staticImports) out.push({ spec: i.moduleRequest.value, line: lineOf(i.start) });
  for (const e of r.module.staticExports) for (const en of e.entries) if (en.moduleRequest) out.push({ spec: en.moduleRequest.value, line: lineOf(e.start) });
  for (const d of r.module.dynamicImports) {
    const text = source.slice(d.moduleRequest.start, d.moduleRequest.end).trim();
    const m = /^['"`]([^'"`]+)['"`]$/.exec(text);
    out.push({ spec: m ? m[1] : `<computed ${text}>`, line: lineOf(d.start) });
  }
  // require('x') anywhere in the AST.
  const stack = [r.program];
  while (stack.length) {
    const n = stack.pop();
    if (!n || typeof n !== 'object') continue;
    if (Array.isArray(n)) {
      for (const c of n) stack.push(c);
      continue;
    }
    if (n.type === 'CallExpression' && n.callee?.type === 'Identifier' && n.callee.name === 'require') {
      const a = n.arguments?.[0];
      const v = a && (a.type === 'Literal' || a.type === 'StringLiteral') ? a.value : `<computed>`;
      out.push({ spec: String(v), line: lineOf(n.start) });
    }
    for (const k in n) if (k !== 'parent' && n[k] && typeof n[k] === 'object') stack.push(n[k]);
  }
  return { imports: out, errors: r.errors };
}

const violations = [];
const rel = (p) => relative(root, p).split(sep).join('/');

for (const top of SCAN) {
  for (const file of walk(join(root, top))) {
    const r = rel(file);
    const src = readFileSync(file, 'utf8');
    const { imports, errors } = importsOf(file, src);
    if (errors.length) violations.push({ file: r, line: 0, spec: '', rule: `parse error: ${errors[0].message}` });
    for (const { spec, line } of imports) {
      const isRelative = spec.startsWith('.');
      const target = isRelative ? rel(resolve(dirname(file), spec)) : null;
      const bare = isRelative ? null : spec;
      const isElectron = bare === 'electron' || bare?.startsWith('electron/');
      const inElectronShell = r.startsWith('electron/main/') || r.startsWith('electron/preload/');
      if (isElectron && !inElectronShell) violations.push({ file: r, line, spec, rule: 'only electron/main/** and electron/preload/** may import electron' });
      if (r.startsWith('shared/')) {
        if (!isRelative || !target.startsWith('shared/')) violations.push({ file: r, line, spec, rule: 'shared/ may import only files inside shared/' });
      }
      if (r.startsWith('renderer/')) {
        if (isRelative && target.startsWith('electron/')) violations.push({ file: r, line, spec, rule: 'renderer/ may not import electron/' });
        if (bare && builtins.has(bare)) violations.push({ file: r, line, spec, rule: 'renderer/ may not import Node built-ins' });
      }
    }
  }
}

if (json) console.log(JSON.stringify({ violations }));
else if (violations.length) {
  for (const v of violations) console.error(`${v.file}:${v.line}: import ${JSON.stringify(v.spec)}: ${v.rule}`);
  console.error(`lint-boundaries: ${violations.length} violation(s)`);
} else console.log('lint-boundaries: ok');
process.exitCode = violations.length ? 1 : 0;
