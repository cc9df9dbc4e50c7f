/**
 * Which program each input comes from, so that snapshots of two programs never form one series.
 *
 * What each input tells (`ProgramFacts`):
 *   pprof proto        the main binary's path (Mapping[0].filename) and, Go 1.24+ on Linux, its GNU
 *                      build id (Mapping[0].build_id = the ELF's NT_GNU_BUILD_ID note, hex)
 *   legacy text, debug=2 goroutine dumps
 *                      neither; only the source folder of package main (from the `#` / frame lines)
 *   heap dumps         Go version, GOARCH + pointer size, data/bss segment sizes, the source folder of
 *                      package main (allocation stacks); with the executable attached (`--exe`,
 *                      attachExecutable) its GNU and Go build ids, when its .data/.bss sizes match
 *                      the dump's segments
 *
 * Two inputs are compared by the strongest fact both know (`compareFacts`):
 *   1. GNU build id, then Go build id: equal → same program, different → different. Decisive: the
 *      weaker facts are not looked at (a binary copied elsewhere is the same program; a rebuild at the
 *      same path is not).
 *   2. Otherwise any conflict among binary path, Go version, GOARCH/pointer size, data/bss sizes and
 *      main package folder (no folder in common) → different.
 *   3. Otherwise the same program when one of those matched, else unknown.
 * A fact one side lacks ("unknown") matches anything. Grouping (`groupByProgram`): inputs are taken
 * strongest first (build ids, then path, then the rest); each joins the one group none of whose members
 * it differs from, or starts a new group. An input that fits two or more groups (it cannot be told
 * apart) joins none: it goes into a group of its own, marked undetermined, so it never extends
 * another program's series. With one program (or nothing to tell inputs apart) there is one group.
 */
import type { HeapAnalysis } from '../heap';
import type { ExeBuildIds } from '../heap/buildid';
import type { Profile } from '../profile';

export interface ProgramFacts {
  /** GNU build id, lowercase hex (pprof Mapping.build_id; NT_GNU_BUILD_ID of an attached executable). */
  buildId: string | null;
  /** Go build id (`go tool buildid`) of an attached executable. */
  goBuildId: string | null;
  /** Path of the main binary as the process ran it (pprof Mapping.filename). */
  path: string | null;
  /** runtime.Version() (heap dumps). */
  goVersion: string | null;
  /** GOARCH/pointer size, e.g. "amd64/8" (heap dumps). */
  arch: string | null;
  /** Sizes of the data and bss segments (heap dumps). */
  segments: { data: number; bss: number } | null;
  /** Source folders of package main's functions, sorted (empty: none seen). */
  mainDirs: string[];
}

export type ProgramVerdict = 'same' | 'different' | 'unknown';

export interface FactsComparison {
  verdict: ProgramVerdict;
  /** The facts that decided ("build id", "binary path", …); empty when unknown. */
  by: string[];
}

export const NO_FACTS: ProgramFacts = { buildId: null, goBuildId: null, path: null, goVersion: null, arch: null, segments: null, mainDirs: [] };

function dirOf(file: string): string | null {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return i > 0 ? file.slice(0, i) : null;
}

/** A function of package main: "main.F", "main.(*T).M", "main.main.func1", "main.G[...]". */
function isMainFunc(name: string): boolean {
  return name.startsWith('main.') && name.length > 5;
}

function sortedDirs(dirs: Set<string>): string[] {
  return [...dirs].sort();
}

/** What a pprof profile (any format the importers read) tells about its program. */
export function profileProgram(p: Profile): ProgramFacts {
  const out: ProgramFacts = { ...NO_FACTS, mainDirs: [] };
  if (p.mappingCount > 0) {
    // runtime/pprof writes the main executable first.
    const file = p.strings[p.mapFile[0]!] ?? '';
    if (file !== '' && !file.startsWith('[')) {
      out.path = file;
      for (let i = 0; i < p.mappingCount; i++) {
        if ((p.strings[p.mapFile[i]!] ?? '') !== file) continue;
        const id = p.strings[p.mapBuildId[i]!] ?? '';
        if (id !== '') {
          out.buildId = id.toLowerCase();
          break;
        }
      }
    }
  }
  const dirs = new Set<string>();
  for (let f = 0; f < p.functionCount; f++) {
    if (!isMainFunc(p.strings[p.funcName[f]!] ?? '')) continue;
    const d = dirOf(p.strings[p.funcFilename[f]!] ?? '');
    if (d !== null) dirs.add(d);
  }
  out.mainDirs = sortedDirs(dirs);
  return out;
}

/** The parts of a heap analysis the program identity reads. */
export type HeapProgramSource = Pick<HeapAnalysis, 'summary' | 'buckets'> & { readonly segments?: ReadonlyArray<{ kind: 'data' | 'bss'; size: number }> };

/**
 * What a heap dump tells about its program; `exe`: build ids of the executable attached to it (used
 * only when its .data/.bss sizes match the dump's segments, i.e. it is the dump's binary).
 */
export function heapDumpProgram(a: HeapProgramSource, exe?: ExeBuildIds | null): ProgramFacts {
  const s = a.summary();
  const out: ProgramFacts = { ...NO_FACTS, mainDirs: [] };
  if (s.goVersion) out.goVersion = s.goVersion;
  if (s.goarch) out.arch = `${s.goarch}/${s.ptrSize}`;
  const data = a.segments?.find((x) => x.kind === 'data');
  const bss = a.segments?.find((x) => x.kind === 'bss');
  if (data && bss) out.segments = { data: data.size, bss: bss.size };
  const dirs = new Set<string>();
  for (const b of a.buckets) {
    const fr = b.frames;
    for (let i = 0; i < fr.length; i++) {
      const f = fr[i]!;
      if (!isMainFunc(f.func)) continue;
      // A dump names a call inlined into F with F's name and the callee's file (main.write at
      // os/file.go: os.Create inlined): only F's outermost frame is in F's own file.
      if (i + 1 < fr.length && fr[i + 1]!.func === f.func) continue;
      const d = dirOf(f.file);
      if (d !== null) dirs.add(d);
    }
  }
  out.mainDirs = sortedDirs(dirs);
  if (exe && exeMatchesDump(exe, out)) {
    out.buildId = exe.gnuBuildId ? exe.gnuBuildId.toLowerCase() : null;
    out.goBuildId = exe.goBuildId;
  }
  return out;
}

/**
 * False when the executable is known not to be the dump's binary: its .data/.bss sizes differ from the
 * dump's segments, its Go version from the dump's, or (paths without a leading folder, as -trimpath
 * writes them) its main package's import path is none of the dump's package main folders.
 */
export function exeMatchesDump(exe: ExeBuildIds, dump: ProgramFacts): boolean {
  if (dump.segments) {
    if (exe.dataSize !== null && exe.dataSize !== dump.segments.data) return false;
    if (exe.bssSize !== null && exe.bssSize !== dump.segments.bss) return false;
  }
  if (exe.goVersion !== null && dump.goVersion !== null && exe.goVersion !== dump.goVersion) return false;
  const trimmed = dump.mainDirs.length > 0 && dump.mainDirs.every((d) => !d.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(d));
  if (exe.mainPath !== null && trimmed && !dump.mainDirs.includes(exe.mainPath)) return false;
  return true;
}

function overlap(a: readonly string[], b: readonly string[]): boolean {
  const s = new Set(a);
  return b.some((x) => s.has(x));
}

/** Two inputs' facts, strongest first; see the file comment for the rule. */
export function compareFacts(a: ProgramFacts, b: ProgramFacts): FactsComparison {
  if (a.buildId !== null && b.buildId !== null) return { verdict: a.buildId === b.buildId ? 'same' : 'different', by: ['build id'] };
  if (a.goBuildId !== null && b.goBuildId !== null) return { verdict: a.goBuildId === b.goBuildId ? 'same' : 'different', by: ['Go build id'] };
  const same: string[] = [];
  const diff: string[] = [];
  const check = (what: string, x: string | null, y: string | null): void => {
    if (x === null || y === null) return;
    (x === y ? same : diff).push(what);
  };
  check('binary path', a.path, b.path);
  check('Go version', a.goVersion, b.goVersion);
  check('GOARCH', a.arch, b.arch);
  if (a.segments && b.segments) (a.segments.data === b.segments.data && a.segments.bss === b.segments.bss ? same : diff).push('data/bss sizes');
  if (a.mainDirs.length > 0 && b.mainDirs.length > 0) (overlap(a.mainDirs, b.mainDirs) ? same : diff).push('package main folder');
  if (diff.length > 0) return { verdict: 'different', by: diff };
  if (same.length > 0) return { verdict: 'same', by: same };
  return { verdict: 'unknown', by: [] };
}

/** How much an input tells: build ids first, then the binary path, then the rest. */
function strength(f: ProgramFacts): number {
  return (f.buildId !== null || f.goBuildId !== null ? 100 : 0) + (f.path !== null ? 10 : 0) + (f.goVersion !== null ? 1 : 0) + (f.segments !== null ? 1 : 0) + (f.mainDirs.length > 0 ? 1 : 0);
}

export interface ProgramGroup {
  /** 1-based, in the order of the groups' first inputs. */
  id: number;
  /** Indices into the facts given to groupByProgram, ascending. */
  members: number[];
  /** What is known of the program (every member's facts together). */
  facts: ProgramFacts;
  /** Inputs that fit more than one program: kept apart from every other group. */
  undetermined: boolean;
}

function cluster(order: readonly number[], facts: readonly ProgramFacts[]): { groups: number[][]; ambiguous: number[] } {
  const groups: number[][] = [];
  let pending: number[] = [];
  const fits = (i: number): number[][] => groups.filter((g) => g.every((j) => compareFacts(facts[i]!, facts[j]!).verdict !== 'different'));
  for (const i of order) {
    const c = fits(i);
    if (c.length === 0) groups.push([i]);
    else if (c.length === 1) c[0]!.push(i);
    else pending.push(i);
  }
  // Groups only grew since: an input that fitted several may now fit one.
  for (let changed = true; changed && pending.length > 0; ) {
    changed = false;
    const still: number[] = [];
    for (const i of pending) {
      const c = fits(i);
      if (c.length === 1) {
        c[0]!.push(i);
        changed = true;
      } else if (c.length === 0) {
        groups.push([i]);
        changed = true;
      } else still.push(i);
    }
    pending = still;
  }
  return { groups, ambiguous: pending };
}

function mergeFacts(members: readonly number[], facts: readonly ProgramFacts[]): ProgramFacts {
  const out: ProgramFacts = { ...NO_FACTS, mainDirs: [] };
  const dirs = new Set<string>();
  for (const i of members) {
    const f = facts[i]!;
    out.buildId ??= f.buildId;
    out.goBuildId ??= f.goBuildId;
    out.path ??= f.path;
    out.goVersion ??= f.goVersion;
    out.arch ??= f.arch;
    out.segments ??= f.segments;
    for (const d of f.mainDirs) dirs.add(d);
  }
  out.mainDirs = sortedDirs(dirs);
  return out;
}

/** Partitions inputs by program (see the file comment). Always at least one group when facts is non-empty. */
export function groupByProgram(facts: readonly ProgramFacts[]): ProgramGroup[] {
  const order = facts.map((_, i) => i).sort((a, b) => strength(facts[b]!) - strength(facts[a]!) || a - b);
  const main = cluster(order, facts);
  const raw: Array<{ members: number[]; undetermined: boolean }> = main.groups.map((g) => ({ members: g, undetermined: false }));
  if (main.ambiguous.length > 0) {
    // Among themselves, the undetermined inputs are grouped by the same rule.
    const sub = cluster(main.ambiguous, facts);
    for (const g of [...sub.groups, ...sub.ambiguous.map((i) => [i])]) raw.push({ members: g, undetermined: true });
  }
  for (const g of raw) g.members.sort((a, b) => a - b);
  raw.sort((a, b) => a.members[0]! - b.members[0]!);
  return raw.map((g, k) => ({ id: k + 1, members: g.members, facts: mergeFacts(g.members, facts), undetermined: g.undetermined }));
}

/** One line: what identifies the program ("/srv/api (build id 26e13eafbdaf), Go go1.26.8"). */
export function describeProgram(f: ProgramFacts): string {
  const parts: string[] = [];
  if (f.path !== null) parts.push(f.path);
  if (f.buildId !== null) parts.push(`build id ${f.buildId.slice(0, 12)}`);
  else if (f.goBuildId !== null) parts.push(`Go build id ${f.goBuildId.slice(0, 20)}`);
  if (f.goVersion !== null) parts.push(f.goVersion);
  if (f.mainDirs.length > 0) parts.push(`package main in ${f.mainDirs.slice(0, 2).join(', ')}${f.mainDirs.length > 2 ? ', …' : ''}`);
  if (f.segments !== null && f.buildId === null && f.goBuildId === null && f.path === null) parts.push(`data ${f.segments.data} B, bss ${f.segments.bss} B`);
  return parts.length > 0 ? parts.join(', ') : 'nothing identifies it';
}

/** "program 2" / "program 3 (undetermined)". */
export function programLabel(g: ProgramGroup): string {
  return `program ${g.id}${g.undetermined ? ' (undetermined)' : ''}`;
}
