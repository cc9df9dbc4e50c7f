/**
 * Where a file name recorded in a profile (or a heap dump's allocation stack) lives on this
 * machine. Pure: the host passes the file-system test (`SourceFs`) and what it knows (GOROOTs of
 * installed toolchains, the module cache, the binary's build info, the user's source roots).
 *
 * Recorded names come in these forms (cleaned like pprof: /proc/self/cwd/ trimmed, path.Clean):
 *   /abs/path/file.go                     a build without -trimpath: used as recorded, then
 *     …/pkg/mod/mod@v/rest                  the module cache here,
 *     …/vendor/mod/rest                     the module's version (build info) in the module cache,
 *     …/src/pkg/file.go                     the standard library of the matching GOROOT,
 *     …/any/suffix.go                       under a user root (longest suffix first);
 *   mod.example/x@v1.2.3/pkg/file.go      -trimpath, a dependency: the module cache;
 *   example.com/app/pkg/file.go           -trimpath, the main module (build info `mod`): user roots;
 *   runtime/proc.go                       -trimpath, the standard library: GOROOT/src of the Go
 *                                         version the binary or dump names (else the same minor);
 *   anything else                         user roots.
 * Nothing here decides what may be READ: the host checks the found file is under an allowed root.
 */
import { cleanPath, trimPath } from '../profile/analysis/view';
import { escapeModulePath, type BuildInfo } from './buildinfo';
import type { SourceResolution, SourceVia } from './types';

export interface SourceFs {
  /** True when the path names a regular file. */
  isFile(path: string): boolean;
}

export interface GoRoot {
  /** runtime.Version() of that toolchain ("go1.26.8"), from its VERSION file. */
  version: string;
  dir: string;
}

export interface SourceContext {
  /** The Go version of the program ("go1.26.8", anything after a space ignored). */
  goVersion?: string | null;
  buildInfo?: BuildInfo | null;
  /** GOMODCACHE. */
  moduleCache?: string | null;
  goroots?: GoRoot[];
  /** Folders the user chose for this program (or passed with --source-root). */
  userRoots?: string[];
}

/** Joins with "/" (accepted by every host), without doubling separators. */
export function joinPath(dir: string, rel: string): string {
  if (dir === '') return rel;
  return dir.endsWith('/') || dir.endsWith('\\') ? dir + rel : `${dir}/${rel}`;
}

function isAbsolute(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

/** The recorded name as pprof shows it (/proc/self/cwd/ trimmed, cleaned; backslashes as slashes). */
export function cleanRecorded(recorded: string): string {
  const s = recorded.replace(/\\/g, '/');
  return s === '' ? '' : cleanPath(trimPath(s));
}

/** The GOROOT for a Go version: the same version, else the same go1.N (the sources may differ slightly). */
export function matchGoRoot(goroots: GoRoot[], goVersion: string | null | undefined): GoRoot | null {
  if (!goVersion) return null;
  const want = goVersion.split(' ')[0]!;
  const exact = goroots.find((g) => g.version.split(' ')[0] === want);
  if (exact) return exact;
  const minor = /^go\d+\.\d+/.exec(want)?.[0];
  if (!minor) return null;
  return goroots.find((g) => g.version === minor || g.version.startsWith(`${minor}.`) || g.version.startsWith(`${minor}rc`)) ?? null;
}

function firstSegmentIsStd(rel: string): boolean {
  const seg = rel.split('/')[0]!;
  return seg !== '' && !seg.includes('.') && !seg.includes('@') && rel.includes('/');
}

/** Every candidate path for a recorded name, in the order tried. */
export function sourceCandidates(recorded: string, ctx: SourceContext): Array<{ path: string; via: SourceVia }> {
  // Leading "../" of a relative name are dropped: a candidate never climbs out of the folder it joins.
  const c = cleanRecorded(recorded).replace(/^(\.\.\/)+/, '').replace(/^\.\.$/, '');
  const out: Array<{ path: string; via: SourceVia }> = [];
  if (c === '' || c === '.') return out;
  const seen = new Set<string>();
  const add = (path: string, via: SourceVia): void => {
    if (seen.has(path)) return;
    seen.add(path);
    out.push({ path, via });
  };
  const cache = ctx.moduleCache ?? null;
  const goroot = matchGoRoot(ctx.goroots ?? [], ctx.goVersion ?? ctx.buildInfo?.goVersion ?? null);
  const roots = ctx.userRoots ?? [];
  const deps = ctx.buildInfo?.deps ?? [];
  const mainMod = ctx.buildInfo?.mainModule?.path ?? null;

  /** "mod/path/rest" of a vendored or trimmed name → the module it belongs to (longest path). */
  const moduleOf = (rel: string): { mod: (typeof deps)[number]; rest: string } | null => {
    let best: { mod: (typeof deps)[number]; rest: string } | null = null;
    for (const d of deps) {
      if (d.path !== '' && rel.startsWith(d.path + '/') && (!best || d.path.length > best.mod.path.length)) best = { mod: d, rest: rel.slice(d.path.length + 1) };
    }
    return best;
  };
  const fromModule = (rel: string, via: SourceVia): void => {
    const m = moduleOf(rel);
    if (!m) return;
    if (m.mod.dir !== undefined) add(joinPath(m.mod.dir, m.rest), via);
    else if (cache && m.mod.version) add(joinPath(cache, `${escapeModulePath(m.mod.path)}@${escapeModulePath(m.mod.version)}/${m.rest}`), via);
  };

  if (isAbsolute(c)) {
    add(c, 'absolute');
    const pm = c.lastIndexOf('/pkg/mod/');
    if (pm >= 0 && cache) add(joinPath(cache, c.slice(pm + '/pkg/mod/'.length)), 'module-cache');
    const vi = c.lastIndexOf('/vendor/');
    if (vi >= 0) fromModule(c.slice(vi + '/vendor/'.length), 'vendor');
    if (goroot) {
      for (let i = c.indexOf('/src/'); i >= 0; i = c.indexOf('/src/', i + 1)) {
        const rel = c.slice(i + 5);
        if (firstSegmentIsStd(rel)) add(joinPath(goroot.dir, `src/${rel}`), 'goroot');
      }
    }
  } else {
    const at = c.indexOf('@');
    if (at > 0 && cache) {
      // mod@version/rest: escape the module path and version, keep the rest as is.
      const slash = c.indexOf('/', at);
      if (slash > at) add(joinPath(cache, escapeModulePath(c.slice(0, slash)) + c.slice(slash)), 'module-cache');
    }
    if (mainMod && (c.startsWith(mainMod + '/') || c === mainMod)) {
      const rel = c.slice(mainMod.length + 1);
      for (const r of roots) add(joinPath(r, rel), 'main-module');
    }
    fromModule(c, 'module-cache');
    if (goroot && firstSegmentIsStd(c) && !(mainMod && c.startsWith(mainMod + '/'))) add(joinPath(goroot.dir, `src/${c}`), 'goroot');
  }
  // User roots: the name under each root, then shorter and shorter suffixes of it.
  const segs = c.split('/').filter((s) => s !== '');
  for (const r of roots) {
    for (let i = 0; i < segs.length; i++) add(joinPath(r, segs.slice(i).join('/')), 'user-root');
  }
  return out;
}

/** Tries every candidate in order; a missing file is an answer (path null, every path tried), never an error. */
export function resolveSource(recorded: string, ctx: SourceContext, fs: SourceFs): SourceResolution {
  const tried: string[] = [];
  for (const cand of sourceCandidates(recorded, ctx)) {
    tried.push(cand.path);
    let ok = false;
    try {
      ok = fs.isFile(cand.path);
    } catch {
      ok = false;
    }
    if (ok) return { recorded, path: cand.path, via: cand.via, tried };
  }
  const res: SourceResolution = { recorded, path: null, via: null, tried };
  res.problem = tried.length === 0 ? 'the profile records no usable file name' : `not found: tried ${tried.length} ${tried.length === 1 ? 'path' : 'paths'}`;
  return res;
}

/**
 * True when `path` (absolute, already free of symlinks and of "." / ".." segments) lies inside
 * `root` (likewise). Compared segment-wise, so /a/bc is not inside /a/b.
 */
export function isInsideRoot(path: string, root: string): boolean {
  const norm = (s: string): string => s.replace(/\\/g, '/').replace(/\/+$/, '');
  const p = norm(path);
  const r = norm(root);
  if (r === '') return p.startsWith('/');
  return p === r || p.startsWith(r + '/');
}

/** The key user-added roots are remembered under: the build id, else the main module, else null. */
export function programKey(ids: { gnuBuildId?: string | null; goBuildId?: string | null; mainModule?: string | null; mappingBuildId?: string | null }): string | null {
  const id = ids.mappingBuildId || ids.gnuBuildId || ids.goBuildId;
  if (id) return `build:${id}`;
  if (ids.mainModule) return `module:${ids.mainModule}`;
  return null;
}
