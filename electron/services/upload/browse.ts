/**
 * Path completion for "Open a file on this machine" (serve): the entries of one directory on the
 * host that complete what the user typed. Lists names (and file sizes) only, never reads a file;
 * the API's token guards it like every other call. `~` is the home folder; a relative path is
 * taken from the folder serve was started in.
 */
import { readdirSync, statSync, type Dirent } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { HeapscopeError } from '../../../shared/errors';
import type { PathCompletion, PathEntry } from '../../../shared/api/upload';

const MAX_ENTRIES = 200;

/** The absolute form of a typed path (keeps a trailing separator: "list this folder"). */
export function expandPath(typed: string, cwd: string = process.cwd()): string {
  let p = typed.trim();
  if (p === '~' || p.startsWith(`~${sep}`) || p.startsWith('~/')) p = homedir() + p.slice(1);
  if (p === '') return cwd.endsWith(sep) ? cwd : cwd + sep;
  if (!isAbsolute(p)) {
    const trailing = p.endsWith('/') || p.endsWith(sep);
    p = resolve(cwd, p) + (trailing ? sep : '');
  }
  return p;
}

function kindOf(dir: string, d: Dirent): { kind: 'dir' | 'file'; size?: number } | null {
  try {
    if (d.isDirectory()) return { kind: 'dir' };
    if (d.isFile() || d.isSymbolicLink()) {
      const st = statSync(join(dir, d.name));
      if (st.isDirectory()) return { kind: 'dir' };
      if (st.isFile()) return { kind: 'file', size: st.size };
    }
  } catch {
    // a dangling link or an entry that vanished: not offered
  }
  return null;
}

export function completePath(typed: string, cwd: string = process.cwd()): PathCompletion {
  const full = expandPath(typed, cwd);
  const cut = full.lastIndexOf(sep);
  const dir = full.slice(0, cut + 1) || sep;
  const prefix = full.slice(cut + 1);
  let dirents: Dirent[];
  try {
    dirents = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such folder' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOTDIR' ? 'not a folder' : e instanceof Error ? e.message : String(e);
    throw new HeapscopeError({ code: code === 'ENOENT' ? 'NOT_FOUND' : 'IO', message: `cannot list ${dir}: ${why}`, file: dir });
  }
  const showHidden = prefix.startsWith('.');
  const matches = dirents
    .filter((d) => d.name.startsWith(prefix) && (showHidden || !d.name.startsWith('.')))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const entries: PathEntry[] = [];
  let truncated = false;
  for (const d of matches) {
    if (entries.length >= MAX_ENTRIES) {
      truncated = true;
      break;
    }
    const k = kindOf(dir, d);
    if (!k) continue;
    entries.push({ name: d.name, path: join(dir, d.name), kind: k.kind, ...(k.size !== undefined ? { sizeBytes: k.size } : {}) });
  }
  entries.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'dir' ? -1 : 1));
  return { dir, entries, truncated, sep };
}
