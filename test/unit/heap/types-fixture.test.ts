/**
 * Acceptance by construction: test/fixtures/go/typed allocates known counts of known types (structs,
 * slices, strings, maps of ≤ 8 and > 8 entries, buffered channels, interfaces, closures, generics,
 * sync.Map, a goroutine's local) and writes them to expected.json; `heapscope types --json` on its
 * heap dump of each Go version of the matrix counts every one exactly and types ≥ 95% of the
 * reachable bytes. Also: retain/paths JSON carry types, a goroutine root names its local, and a
 * binary without DWARF gets a clear message.
 */
import { describe, it, expect } from 'vitest';
import { Command } from 'commander';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzip, openChunkedFile, type CliIO } from '../../../electron/cli/io';
import { registerTypes } from '../../../electron/cli/commands/types';
import { registerRetain } from '../../../electron/cli/commands/retain';
import { registerPaths } from '../../../electron/cli/commands/paths';
import { loadHeapDumpFile } from '../../../electron/services/heapdump-loader';
import { MATRIX_ROOT, MATRIX_VERSIONS } from '../../helpers/matrix';
import type { PathsJson, RetainJson, TypesJson } from '../../../shared/heap/index';

const runs = MATRIX_VERSIONS.map((v) => ({ version: v, dir: join(MATRIX_ROOT, `go${v}`, 'typed') })).filter((r) => existsSync(join(r.dir, 'expected.json')));
const missing = MATRIX_VERSIONS.filter((v) => !runs.some((r) => r.version === v));
if (missing.length) {
  const msg = `types-fixture: no typed fixture for Go ${missing.join(', ')} (run test/fixtures/matrix.sh --program typed)`;
  if (process.env.CI === 'true') throw new Error(msg);
  console.warn(`skipped: ${msg}`);
}

async function cli(args: string[]): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: (s) => void (out += s), stderr: (s) => void (err += s), readFile: async () => new Uint8Array(0), gunzip, openFile: openChunkedFile, isTTY: false };
  const program = new Command();
  program.exitOverride().configureOutput({ writeOut: (s) => void (out += s), writeErr: (s) => void (err += s) });
  registerTypes(program, io);
  registerRetain(program, io);
  registerPaths(program, io);
  process.exitCode = undefined;
  let code = 0;
  try {
    await program.parseAsync(args, { from: 'user' });
    code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    code = (e as { exitCode?: number }).exitCode ?? 1;
  }
  process.exitCode = undefined;
  return { out, err, code };
}

function minor(goVersion: string): number {
  return Number(/^go1\.(\d+)/.exec(goVersion)?.[1] ?? 0);
}

describe.each(runs)('typed fixture, Go $version', ({ version, dir }) => {
  const dump = join(dir, 'heap.dump');
  const exe = join(dir, 'typed');
  const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { goVersion: string; counts: Record<string, number> };
  const c = expected.counts;
  const swiss = minor(expected.goVersion) >= 24;

  it('types --json counts every constructed type exactly; ≥ 95% of reachable bytes typed', async () => {
    const r = await cli(['types', dump, '--exe', exe, '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as TypesJson;
    expect(Object.keys(j).sort()).toEqual(['typedBytesShare', 'types']);
    for (const t of j.types) expect(Object.keys(t).sort()).toEqual(['bytes', 'count', 'name', 'retainedBytes']);
    const count = (name: string) => j.types.find((t) => t.name === name)?.count ?? 0;
    const matching = (re: RegExp) => j.types.filter((t) => re.test(t.name)).reduce((s, t) => s + t.count, 0);
    expect(count('main.Session')).toBe(c['main.Session']);
    expect(count('[1536]uint8')).toBe(c['session payload']);
    expect(count('map.hdr[string]int')).toBe(c['session tags map']);
    expect(count(swiss ? 'map.group[string]int' : 'map.bucket[string]int')).toBe(c['session tags map']);
    expect(count('[2304]uint8')).toBe(c['name string']);
    expect(count('map.hdr[int]*main.Session')).toBe(c['big map']);
    expect(matching(swiss ? /^(\[\d+\])?map\.group\[int\]\*main\.Session$/ : /^(\[\d+\])?map\.bucket\[int\]\*main\.Session$/)).toBeGreaterThan(0);
    expect(count('hchan<*main.Job>')).toBe(c['chan *main.Job']);
    expect(count('[16]*main.Job')).toBe(c['chan *main.Job buf']);
    expect(count('main.Job')).toBe(c['main.Job']);
    expect(count('hchan<int64>')).toBe(c['chan int64']);
    expect(count('main.Circle')).toBe(c['main.Circle']);
    expect(count('main.Square')).toBe(c['main.Square']);
    expect(matching(/^closure main\.(main\.)?(makeHandler\.)?func1$/)).toBe(c.closure);
    // Captured variables are described (DW_AT_go_closure_offset) from Go 1.23 on.
    expect(count('main.Counter')).toBe(minor(expected.goVersion) >= 23 ? c['main.Counter'] : 0);
    expect(count('main.Box[int]')).toBe(c['main.Box[int]']);
    expect(matching(/^\[\d+\]main\.Record$/)).toBe(c['worker records']);
    expect(count('main.Item')).toBe(c['main.Item']);
    expect(j.typedBytesShare).toBeGreaterThanOrEqual(0.95);
    // Sorted by bytes; --top limits.
    for (let i = 1; i < j.types.length; i++) expect(j.types[i - 1].bytes).toBeGreaterThanOrEqual(j.types[i].bytes);
    const top = JSON.parse((await cli(['types', dump, '--exe', exe, '--json', '--top', '3'])).out) as TypesJson;
    expect(top.types).toEqual(j.types.slice(0, 3));
  }, 60_000);

  it('retain and paths JSON carry types; a goroutine root names its local; paths name fields', async () => {
    const retain = JSON.parse((await cli(['retain', dump, '--exe', exe, '--json'])).out) as RetainJson;
    const sessionsRoot = retain.roots.find((r) => r.name === 'global main.sessions');
    expect(sessionsRoot?.type).toBe('[]*main.Session');
    expect(retain.dominators.every((d) => typeof d.type === 'string')).toBe(true);
    const { analysis: a } = loadHeapDumpFile(openChunkedFile, dump, exe);
    const recs = a.objectsOfType(a.typeRows().find((t) => /^\[\d+\]main\.Record$/.test(t.name))!.name);
    expect(recs.length).toBe(c['worker records']);
    const p = a.pathsToRoots(recs[0], 1);
    // worker is inlined into the go statement's wrapper from Go 1.22 (main.main.gowrap1).
    expect(p.paths[0][0].root!.name).toMatch(/^goroutine \d+ \[chan receive\] main\.(worker|main\.gowrap1)$/);
    // Go 1.27 keeps the slice's pointer word as its own variable (recs.ptr).
    expect(p.paths[0][1].via).toMatch(/^main\.(worker|main\.gowrap1) · (recs \[\]main\.Record|recs\.ptr \*main\.Record)$/);
    // A session's payload: global → slice array → *Session .Payload → [1536]uint8.
    const payload = a.objectsOfType('[1536]uint8')[0];
    const pj = JSON.parse((await cli(['paths', dump, '--exe', exe, '--object', a.label(payload), '--json', '--k', '1'])).out) as PathsJson;
    const steps = pj.paths[0];
    const last = steps[steps.length - 1] as { type?: string; field?: string };
    expect(last.type).toBe('[1536]uint8');
    expect(last.field).toBe('.Payload');
    expect((steps[steps.length - 2] as { type?: string }).type).toBe('main.Session');
    // The inspector's fields: a Session's named fields with values.
    const session = a.objectsOfType('main.Session')[0];
    const f = openChunkedFile(dump);
    try {
      const d = a.objectDetails(session, 0, 10, (o, n) => f.read(o, n));
      expect(d.type).toBe('main.Session');
      const names = d.fields!.map((x) => x.name);
      expect(names).toEqual(['ID', 'Name', 'Payload', 'Next', 'Tags']);
      expect(d.fields![1].value).toMatch(/^"session-\d{4}"$/);
      expect(d.fields![2].value).toMatch(/^len 1536 cap 1536 → 0x/);
      expect(d.fields![2].node).toBeGreaterThan(0);
    } finally {
      f.close();
    }
  }, 60_000);

  it('without DWARF: a clear message, and the other commands work as before', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'heapscope-nodwarf-'));
    const stripped = join(tmp, 'typed');
    execFileSync('objcopy', ['--strip-debug', exe, stripped]);
    const r = await cli(['types', dump, '--exe', stripped, '--json']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no DWARF/);
    // a dump alone in its folder (beside its own, the binary is found: exe-beside.test.ts)
    const alone = join(mkdtempSync(join(tmpdir(), 'heapscope-alone-')), 'heap.dump');
    copyFileSync(dump, alone);
    const none = await cli(['types', alone]);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/--exe/);
    const retain = JSON.parse((await cli(['retain', dump, '--exe', stripped, '--json'])).out) as RetainJson;
    expect(retain.roots.find((x) => x.name === 'global main.sessions')).toBeDefined();
    expect(retain.roots.every((x) => x.type === undefined)).toBe(true);
  }, 60_000);
});

describe.each(runs.slice(-1))('the report\'s type histogram (Go $version)', ({ dir }) => {
  it('a heap dump section lists the types retaining the most; without DWARF it says why', async () => {
    const { assembleReport } = await import('../../../shared/report/index');
    const { analysis: a } = loadHeapDumpFile(openChunkedFile, join(dir, 'heap.dump'), join(dir, 'typed'));
    const model = assembleReport([{ name: 'heap.dump', kind: 'heapdump', analysis: a, source: join(dir, 'heap.dump'), sizeBytes: 0, warnings: [] }], { heapscopeVersion: 'test' });
    const section = model.sections.find((s) => s.kind === 'heapdump');
    expect(section && section.kind === 'heapdump' && section.types).toBeTruthy();
    const types = section!.kind === 'heapdump' ? section!.types! : null;
    expect(types!.unavailable).toBeNull();
    expect(types!.rows.find((r) => r.name === 'main.Session')?.count).toBe(1000);
    for (let i = 1; i < types!.rows.length; i++) expect(types!.rows[i - 1]!.retainedBytes).toBeGreaterThanOrEqual(types!.rows[i]!.retainedBytes);
    const { analysis: b } = loadHeapDumpFile(openChunkedFile, join(dir, 'heap.dump'));
    const m2 = assembleReport([{ name: 'heap.dump', kind: 'heapdump', analysis: b, source: join(dir, 'heap.dump'), sizeBytes: 0, warnings: [] }], { heapscopeVersion: 'test' });
    const s2 = m2.sections.find((s) => s.kind === 'heapdump');
    expect(s2 && s2.kind === 'heapdump' ? s2.types?.unavailable : null).toMatch(/--exe/);
  }, 60_000);
});

describe.each(runs.filter((r) => existsSync(join(r.dir, 'heap-2.dump'))))('heap dump comparison by type (Go $version)', ({ dir }) => {
  it('new, freed and alive per type: the sessions added and the names dropped between the two dumps', async () => {
    const { diffHeapDumps } = await import('../../../shared/compare/index');
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { counts: Record<string, number> };
    const exe = join(dir, 'typed');
    const { analysis: base } = loadHeapDumpFile(openChunkedFile, join(dir, 'heap.dump'), exe);
    const { analysis: target } = loadHeapDumpFile(openChunkedFile, join(dir, 'heap-2.dump'), exe);
    const s = diffHeapDumps('heap.dump', base, 'heap-2.dump', target).summary({ limit: 100_000 });
    const row = (name: string) => s.byType!.find((r) => r.site === name)!;
    expect(row('main.Session').added.objects).toBe(expected.counts['diff added main.Session']);
    expect(row('main.Session').alive.objects).toBe(expected.counts['main.Session']);
    expect(row('main.Session').freed.objects).toBe(0);
    expect(row('main.Session').function).toBe('main');
    expect(row('[2304]uint8').freed.objects).toBe(expected.counts['diff freed name string']);
    expect(row('[2304]uint8').status).toBe('gone');
    // Without the binary: no comparison by type, the rest as before.
    const { analysis: b2 } = loadHeapDumpFile(openChunkedFile, join(dir, 'heap.dump'));
    expect(diffHeapDumps('a', b2, 'b', target).summary().byType).toBeUndefined();
  }, 60_000);
});

describe.each(runs.slice(-1))('findings quote types (Go $version)', ({ dir }) => {
  it('a leak suspect names the types that hold its memory and the root variable\'s type', async () => {
    const { computeFindings } = await import('../../../shared/findings/index');
    const { analysis: a } = loadHeapDumpFile(openChunkedFile, join(dir, 'heap.dump'), join(dir, 'typed'));
    const report = computeFindings([{ kind: 'heapdump', name: 'heap.dump', analysis: a }]);
    // main.names alone holds the 300 name strings (the sessions are shared with main.index).
    const f = report.findings.find((x) => x.subject === 'global main.names');
    expect(f, JSON.stringify(report.findings.map((x) => x.title))).toBeDefined();
    expect(f!.title).toMatch(/; by type: \[2304\]uint8 \(300 objects, /);
    expect(f!.evidence.rootType).toBe('[]string');
    expect(String(f!.evidence.biggestTypes)).toMatch(/^\[2304\]uint8: 300 objects/);
  }, 60_000);
});

describe('every program of the matrix is ≥ 95% typed', () => {
  const all = MATRIX_VERSIONS.flatMap((v) => ['leakyapp', 'modern', 'service'].map((p) => ({ v, p, dir: join(MATRIX_ROOT, `go${v}`, p) }))).filter((r) => existsSync(join(r.dir, 'heap.dump')));
  it.each(all)('go$v/$p', async ({ p, dir }) => {
    const { analysis: a } = loadHeapDumpFile(openChunkedFile, join(dir, 'heap.dump'), join(dir, p));
    const info = a.typesInfo();
    expect(info.available).toBe(true);
    expect(info.typedBytesShare).toBeGreaterThanOrEqual(0.95);
  }, 60_000);
});
