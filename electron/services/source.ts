/**
 * Source files for the Source panel, the report and `heapscope list`: finds the file a profile
 * names (shared/source/resolve.ts) and reads it, ONLY when it lies under an allowed root:
 *   - the GOROOT of every Go toolchain installed here (standard library),
 *   - the module cache (GOMODCACHE),
 *   - folders the user chose (remembered per program: build id, else main module) or passed with
 *     --source-root.
 * A profile is untrusted input: a recorded "../../etc/passwd" or "/home/me/.ssh/id_rsa" is never
 * read, whatever the page asks. Roots and files are compared after realpath (no symlink escapes),
 * only source-like extensions are read, and at most MAX_SOURCE_BYTES. The CLI (`heapscope list`,
 * run by the user on their own files, like pprof) may also read absolute names as recorded:
 * `trustRecordedAbsolute`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, extname, isAbsolute, join, resolve as resolvePath } from 'node:path';
import { readElfBuildIds } from '../../shared/heap/buildid';
import { isInsideRoot, parseModInfo, resolveSource, splitSourceLines, type BuildInfo, type GoRoot, type SourceContext, type SourceText } from '../../shared/source/index';
import { openChunkedFile } from '../cli/io';

export const MAX_SOURCE_BYTES = 4 * 1024 * 1024;
const SOURCE_EXTENSIONS = new Set(['.go', '.s', '.S', '.c', '.h', '.cc', '.cpp', '.cxx', '.hh', '.hpp', '.m', '.mm', '.tmpl', '.y']);

/** What the binary tells about itself (null fields when it could not be read). */
export interface ProgramFacts {
  exe: string | null;
  goVersion: string | null;
  buildInfo: BuildInfo | null;
  gnuBuildId: string | null;
  goBuildId: string | null;
}

export function readProgramFacts(exe: string | null): ProgramFacts {
  const none: ProgramFacts = { exe, goVersion: null, buildInfo: null, gnuBuildId: null, goBuildId: null };
  if (!exe) return none;
  try {
    const f = openChunkedFile(exe);
    try {
      const ids = readElfBuildIds(f, exe);
      const goVersion = ids.goVersion ? ids.goVersion.split(' ')[0]! : null;
      return { exe, goVersion, buildInfo: ids.modInfo !== undefined ? parseModInfo(ids.modInfo, goVersion) : null, gnuBuildId: ids.gnuBuildId, goBuildId: ids.goBuildId };
    } finally {
      f.close();
    }
  } catch {
    return none;
  }
}

/**
 * The binary of a profile: `exe` when given, else the mapping's file if it exists here, else a file
 * of that name beside the profile (a copied folder of profiles and binary).
 */
export function findProgramBinary(profilePath: string | null, mappingFile: string | null, exe?: string): string | null {
  if (exe) return exe;
  if (mappingFile && isAbsolute(mappingFile) && isRegularFile(mappingFile)) return mappingFile;
  if (mappingFile && profilePath) {
    const beside = join(dirname(profilePath), basename(mappingFile));
    if (beside !== profilePath && isRegularFile(beside)) return beside;
  }
  return null;
}

function isRegularFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function goEnv(name: string): string | null {
  try {
    const r = spawnSync('go', ['env', name], { encoding: 'utf8', timeout: 5000, env: { ...process.env, GOTOOLCHAIN: 'local' } });
    const v = r.status === 0 ? r.stdout.trim() : '';
    return v !== '' ? v : null;
  } catch {
    return null;
  }
}

function versionOf(dir: string): string | null {
  try {
    const first = readFileSync(join(dir, 'VERSION'), 'utf8').split('\n')[0]!.trim();
    return first.startsWith('go') ? first : null;
  } catch {
    return null;
  }
}

export interface SourceServiceOptions {
  /** Where user-chosen roots are remembered (source-roots.json); none: not remembered. */
  dataDir?: string;
  /** Roots for every program (the CLI's --source-root, serve's --source-root). */
  roots?: string[];
  /** Read absolute recorded names anywhere (the CLI only, like pprof). */
  trustRecordedAbsolute?: boolean;
  /** Overrides for tests: toolchains and module cache (default: discovered). */
  goroots?: GoRoot[];
  moduleCache?: string | null;
}

export class SourceService {
  private gorootsCache: GoRoot[] | null;
  private modCache: string | null | undefined;
  private readonly roots: string[];

  constructor(private readonly opts: SourceServiceOptions = {}) {
    this.gorootsCache = opts.goroots ?? null;
    this.modCache = opts.moduleCache;
    this.roots = (opts.roots ?? []).map((r) => resolvePath(r));
  }

  /** Installed Go toolchains: `go env GOROOT`, /usr/local/go, /usr/lib/go-*, ~/sdk/go*, toolchains in the module cache. */
  goroots(): GoRoot[] {
    if (this.gorootsCache) return this.gorootsCache;
    const dirs: string[] = [];
    const envRoot = process.env.GOROOT || goEnv('GOROOT');
    if (envRoot) dirs.push(envRoot);
    dirs.push('/usr/local/go', '/usr/lib/go');
    const listDir = (d: string, re: RegExp): void => {
      try {
        for (const n of readdirSync(d)) if (re.test(n)) dirs.push(join(d, n));
      } catch {
        // absent
      }
    };
    listDir('/usr/lib', /^go-\d/);
    listDir(join(homedir(), 'sdk'), /^go\d/);
    const mc = this.moduleCache();
    if (mc) listDir(join(mc, 'golang.org'), /^toolchain@v0\.0\.1-go/);
    const out: GoRoot[] = [];
    const seen = new Set<string>();
    for (const d of dirs) {
      const v = versionOf(d);
      if (!v) continue;
      let real = d;
      try {
        real = realpathSync(d);
      } catch {
        continue;
      }
      if (seen.has(real)) continue;
      seen.add(real);
      out.push({ version: v, dir: real });
    }
    this.gorootsCache = out;
    return out;
  }

  moduleCache(): string | null {
    if (this.modCache !== undefined) return this.modCache;
    let mc = process.env.GOMODCACHE || null;
    if (!mc && process.env.GOPATH) mc = join(process.env.GOPATH.split(':')[0]!, 'pkg', 'mod');
    if (!mc) mc = goEnv('GOMODCACHE');
    if (!mc) mc = join(homedir(), 'go', 'pkg', 'mod');
    this.modCache = existsSync(mc) ? mc : null;
    return this.modCache;
  }

  private rootsFile(): string | null {
    return this.opts.dataDir ? join(this.opts.dataDir, 'source-roots.json') : null;
  }

  private remembered(): Record<string, string[]> {
    const f = this.rootsFile();
    if (!f) return {};
    try {
      const data = JSON.parse(readFileSync(f, 'utf8')) as unknown;
      if (typeof data !== 'object' || data === null || Array.isArray(data)) return {};
      const out: Record<string, string[]> = {};
      for (const [k, v] of Object.entries(data as Record<string, unknown>)) if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string');
      return out;
    } catch {
      return {};
    }
  }

  /** Roots the user chose for a program (key from programKey), newest first. */
  userRoots(program: string | null): string[] {
    const mine = program ? (this.remembered()[program] ?? []) : [];
    return [...new Set([...mine, ...this.roots])];
  }

  /** Remembers a folder for a program. It must be an existing directory (not a file, not the file-system root). */
  addRoot(program: string | null, root: string): string[] {
    const abs = resolvePath(root);
    let st;
    try {
      st = statSync(abs);
    } catch {
      throw new Error(`no such folder: ${abs}`);
    }
    if (!st.isDirectory()) throw new Error(`not a folder: ${abs}`);
    if (dirname(abs) === abs) throw new Error('the file-system root cannot be a source folder');
    if (!program) {
      this.roots.unshift(abs);
      return this.userRoots(null);
    }
    const all = this.remembered();
    all[program] = [abs, ...(all[program] ?? []).filter((r) => r !== abs)].slice(0, 20);
    const f = this.rootsFile();
    if (f) {
      try {
        mkdirSync(dirname(f), { recursive: true });
        const tmp = `${f}.${process.pid}.tmp`;
        writeFileSync(tmp, JSON.stringify(all, null, 1));
        renameSync(tmp, f);
      } catch {
        // A read-only data folder: the root still works for this session.
        this.roots.unshift(abs);
      }
    } else this.roots.unshift(abs);
    return this.userRoots(program);
  }

  /** The resolution context for a program. */
  context(facts: ProgramFacts, program: string | null, goVersion?: string | null): SourceContext {
    return {
      goVersion: goVersion ?? facts.goVersion,
      buildInfo: facts.buildInfo,
      moduleCache: this.moduleCache(),
      goroots: this.goroots(),
      userRoots: this.userRoots(program),
    };
  }

  /** Every folder a file may be read under, for this context. */
  allowedRoots(ctx: SourceContext): string[] {
    const out: string[] = [];
    // GOROOT/src itself may be a link elsewhere (Debian: /usr/lib/go-1.19/src → /usr/share/go-1.19/src).
    for (const g of ctx.goroots ?? []) out.push(g.dir, join(g.dir, 'src'));
    if (ctx.moduleCache) out.push(ctx.moduleCache);
    for (const r of ctx.userRoots ?? []) out.push(r);
    return out;
  }

  /** Resolves and reads one recorded file; never throws (a missing or refused file is an answer). */
  read(recorded: string, ctx: SourceContext): SourceText {
    const resolution = resolveSource(recorded, ctx, { isFile: isRegularFile });
    if (resolution.path === null) {
      return { lines: null, resolution, error: `could not find file ${recorded} (tried ${resolution.tried.length === 0 ? 'nothing' : resolution.tried.join(', ')})` };
    }
    const refused = this.refusal(resolution.path, resolution.via === 'absolute', ctx);
    if (refused) {
      const r = { ...resolution, path: null, problem: refused };
      return { lines: null, resolution: r, error: refused };
    }
    try {
      const text = readFileSync(resolution.path, 'utf8');
      return { lines: splitSourceLines(text), resolution };
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      return { lines: null, resolution: { ...resolution, problem: msg }, error: msg };
    }
  }

  /** Why a found file must not be read, or null when it may. */
  refusal(path: string, recordedAbsolute: boolean, ctx: SourceContext): string | null {
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      return `cannot read ${path}`;
    }
    const ext = extname(real);
    if (!SOURCE_EXTENSIONS.has(ext)) return `not a source file: ${path}`;
    let size = 0;
    try {
      size = statSync(real).size;
    } catch {
      return `cannot read ${path}`;
    }
    if (size > MAX_SOURCE_BYTES) return `${path} is larger than ${MAX_SOURCE_BYTES} bytes`;
    if (recordedAbsolute && this.opts.trustRecordedAbsolute) return null;
    for (const root of this.allowedRoots(ctx)) {
      let rr: string;
      try {
        rr = realpathSync(root);
      } catch {
        continue;
      }
      if (isInsideRoot(real, rr)) return null;
    }
    return `${path} is outside the source folders (GOROOT, the module cache, folders you chose): choose its folder to read it`;
  }
}
