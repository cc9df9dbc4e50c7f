#!/usr/bin/env node
// The lint rule that keeps the folder contracts (see each folder's README):
//  - shared/ imports nothing outside shared/ (no npm packages, no Node built-ins, no electron);
//  - renderer/ imports neither electron/ nor a Node built-in;
//  - only electron/main/** and electron/preload/** import `electron`.
// Imports are read with a real parser (@babel/parser, TypeScript + JSX): static imports (type-only
// too), re-exports, dynamic import() and require() calls. Usage: node build/lint-boundaries.mjs [--root DIR] [--json]
import { parse } from '@babel/parser';
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
  const out = [];
  let ast;
  try {
    ast = parse(source, {
      sourceType: 'unambiguous',
      allowAwaitOutsideFunction: true,
      errorRecovery: true,
      plugins: /\.[cm]?ts$/.test(file) ? ['typescript'] : /\.tsx$/.test(file) ? ['typescript', 'jsx'] : ['jsx'],
    });
  } catch (e) {
    return { imports: out, errors: [e] };
  }
  const stack = [ast.program];
  while (stack.length) {
    const n = stack.pop();
    if (!n || typeof n !== 'object') continue;
    if (Array.isArray(n)) {
      for (const c of n) stack.push(c);
      continue;
    }
    const line = n.loc?.start.line ?? 0;
    if ((n.type === 'ImportDeclaration' || n.type === 'ExportAllDeclaration' || n.type === 'ExportNamedDeclaration') && n.source) out.push({ spec: n.source.value, line });
    else if (n.type === 'TSImportEqualsDeclaration' && n.moduleReference?.type === 'TSExternalModuleReference') out.push({ spec: n.moduleReference.expression.value, line });
    else if (n.type === 'TSImportType') out.push({ spec: n.argument?.value ?? n.argument?.literal?.value ?? '<computed>', line });
    else if (n.type === 'CallExpression' && (n.callee?.type === 'Import' || (n.callee?.type === 'Identifier' && n.callee.name === 'require'))) {
      const a = n.arguments?.[0];
      out.push({ spec: a?.type === 'StringLiteral' ? a.value : a?.type === 'TemplateLiteral' && a.expressions.length === 0 ? a.quasis[0].value.cooked : '<computed>', line });
    } else if (n.type === 'ImportExpression') {
      const a = n.source;
      out.push({ spec: a?.type === 'StringLiteral' ? a.value : '<computed>', line });
    }
    for (const k in n) if (k !== 'loc' && k !== 'leadingComments' && k !== 'trailingComments' && n[k] && typeof n[k] === 'object') stack.push(n[k]);
  }
  return { imports: out, errors: ast.errors ?? [] };
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
