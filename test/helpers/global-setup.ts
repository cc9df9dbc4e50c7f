import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

/** Tests run the real worker and CLI bundles: make sure dist/ matches the sources. */
export default function setup(): void {
  const root = resolve(__dirname, '..', '..');
  if (process.env.HEAPSCOPE_SKIP_BUILD) return;
  const r = spawnSync(process.execPath, [join(root, 'build', 'build.mjs'), '--node-only', '--quiet'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed');
}
