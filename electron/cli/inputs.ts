/**
 * Input paths of the commands that take many files (findings, report, check, memory): a session
 * folder that `heapscope capture --every` wrote stands for its captures, in the order they were
 * taken (its session.json lists them). Any other folder is an error that says what to pass.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HeapscopeError } from '../../shared/errors';
import { MANIFEST } from '../services/capture/watch';

/** What the commands read of a session folder's session.json (written by capture/watch.ts). */
export interface SessionManifest {
  captures: Array<{ file?: unknown; meta?: { url?: unknown; timeMs?: unknown } }>;
}

/** The session.json of a capture session folder; a clear error when it is missing or not one. */
export function readSessionManifest(dir: string): SessionManifest {
  const manifest = join(dir, MANIFEST);
  let m: { heapscopeWatch?: unknown; captures?: unknown };
  try {
    m = JSON.parse(readFileSync(manifest, 'utf8')) as typeof m;
  } catch (e) {
    throw new HeapscopeError({ code: 'BAD_FORMAT', message: `not a capture session manifest: ${e instanceof Error ? e.message : String(e)}`, file: manifest, format: 'heapscope session' });
  }
  if (!m.heapscopeWatch || !Array.isArray(m.captures)) {
    throw new HeapscopeError({ code: 'BAD_FORMAT', message: 'not a capture session manifest (no heapscopeWatch version or captures list)', file: manifest, format: 'heapscope session' });
  }
  return { captures: m.captures as SessionManifest['captures'] };
}

/** The captures of a capture session folder, in capture order (files thinned away since are left out). */
export function sessionCaptures(dir: string): string[] {
  const m = readSessionManifest(dir);
  const files: string[] = [];
  for (const c of m.captures) {
    // Names only: a manifest never points outside its folder.
    if (typeof c.file !== 'string' || c.file === '' || /[/\\]/.test(c.file) || c.file === '..') continue;
    const f = join(dir, c.file);
    if (existsSync(f) && !files.includes(f)) files.push(f);
  }
  if (files.length === 0) throw new HeapscopeError({ code: 'NOT_FOUND', message: 'the capture session folder holds no captures', file: dir });
  return files;
}

export function expandInputs(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let dir = false;
    try {
      dir = statSync(p).isDirectory();
    } catch {
      // missing or unreadable: the loader says so, naming the file
    }
    if (!dir) out.push(p);
    else if (existsSync(join(p, MANIFEST))) out.push(...sessionCaptures(p));
    else {
      throw new HeapscopeError({
        code: 'IO',
        message: `cannot read: is a folder (pass the files in it, e.g. ${join(p, '*.pb.gz')}, or a session folder of \`heapscope capture --every\`)`,
        file: p,
      });
    }
  }
  return out;
}
