#!/usr/bin/env node
// `npm start`: launch the Electron app. Electron downloads its binary on first launch; where it
// cannot (offline, firewalled), say so in one line and open the same UI through `heapscope serve`
// in the browser instead, so the main command always shows the investigation.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const passArgs = process.argv.slice(2);

if (!existsSync(join(root, 'dist', 'main.js')) || !existsSync(join(root, 'dist', 'renderer', 'index.html'))) {
  const b = spawnSync(process.execPath, [join(root, 'build', 'build.mjs'), '--quiet'], { stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}

function electronBinary() {
  let pkgDir;
  try {
    pkgDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { error: 'the electron package is not installed (run npm install)' };
  }
  const pathFile = join(pkgDir, 'path.txt');
  const have = () => existsSync(pathFile) && existsSync(join(pkgDir, 'dist', readFileSync(pathFile, 'utf8')));
  if (!have()) {
    process.stdout.write('Heapscope: downloading the Electron binary (first launch)... ');
    const r = spawnSync(process.execPath, [join(pkgDir, 'install.js')], { encoding: 'utf8', timeout: 10 * 60_000 });
    if (r.status !== 0 || !have()) {
      const why = `${r.stderr ?? ''}${r.stdout ?? ''}`.match(/(ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|fetch failed|getaddrinfo[^\n]*|HTTPError[^\n]*)/)?.[0] ?? 'download failed';
      return { error: `the Electron binary could not be downloaded (${why})`, midLine: true };
    }
    process.stdout.write('done\n');
  }
  return { path: join(pkgDir, 'dist', readFileSync(pathFile, 'utf8')) };
}

const bin = process.env.HEAPSCOPE_NO_ELECTRON ? { error: 'HEAPSCOPE_NO_ELECTRON is set' } : electronBinary();
if (bin.path) {
  const child = spawn(bin.path, [root, ...passArgs], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const msg = `${bin.error}; opening the same UI in your browser through \`heapscope serve\` instead.`;
  console.log(bin.midLine ? `failed: ${msg}` : `Heapscope: ${msg}`);
  const child = spawn(process.execPath, [join(root, 'bin', 'heapscope.js'), 'serve', '--open', ...passArgs], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
  for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => child.kill(s));
}
