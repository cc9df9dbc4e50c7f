/**
 * The program's binary found beside a dump when none is given (the app's open and drop, and every
 * CLI command): of the binaries there whose Go version and .data/.bss sizes are the dump's, the one
 * named like the dump, else the only one; a binary of another build is never chosen. A gzipped dump
 * is typed as well as the plain one. Real builds: test/fixtures/modern/staticmaps with Go 1.19,
 * 1.26 and 1.27, and test/fixtures/modern/subslice (another program) with Go 1.27.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openChunkedFile } from '../../../electron/cli/io';
import { exeBeside, loadHeapDumpFile } from '../../../electron/services/heapdump-loader';
import { ROOT, runCli } from '../compare/fixtures';
import { toolchainOrSkip, type GoVersion, type Toolchain } from '../leakprofile/toolchains';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'modern');
const VERSIONS: GoVersion[] = ['1.19', '1.26', '1.27'];
const toolchains = VERSIONS.map((v) => toolchainOrSkip(v, 'exe-beside'));
const all = toolchains.every((t): t is Toolchain => t !== null);

function build(tc: Toolchain, program: string, out: string): void {
  execFileSync(tc.go, ['build', '-trimpath', '-o', out, '.'], { cwd: join(FIXTURES, program, 'go'), env: { ...tc.env, CGO_ENABLED: '0' }, stdio: 'pipe' });
}

/** A folder holding `dump` as heap.dump and the given binaries under the given names. */
function folder(dump: string, exes: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'heapscope-beside-'));
  copyFileSync(dump, join(dir, 'heap.dump'));
  for (const [name, from] of Object.entries(exes)) copyFileSync(from, join(dir, name));
  return join(dir, 'heap.dump');
}

describe.skipIf(!all)('the binary beside a dump', () => {
  const bin: Record<string, string> = {};
  let dump127 = '';
  beforeAll(() => {
    const tmp = mkdtempSync(join(tmpdir(), 'heapscope-beside-build-'));
    toolchains.forEach((tc, k) => build(tc!, 'staticmaps', (bin[`maps${VERSIONS[k]}`] = join(tmp, `maps${VERSIONS[k]}`))));
    build(toolchains[2]!, 'subslice', (bin.other127 = join(tmp, 'other127')));
    const run = join(tmp, 'run');
    mkdirSync(run);
    execFileSync(bin['maps1.27']!, ['-out', run], { stdio: 'pipe' });
    dump127 = join(run, 'heap.dump');
  }, 600_000);

  it("picks, of three builds with different Go versions, the one with the dump's version", () => {
    const d = folder(dump127, { 'server-a': bin['maps1.19']!, 'server-b': bin['maps1.27']!, 'server-c': bin['maps1.26']! });
    const loaded = loadHeapDumpFile(openChunkedFile, d, exeBeside(d));
    expect(loaded.exe).toBe(join(d, '..', 'server-b'));
    expect(loaded.analysis.graph.roots.some((r) => r.name === 'global main.bigIndex')).toBe(true);
  });

  it("picks, of two programs built with the dump's Go, the one whose data and bss sizes are the dump's", () => {
    const d = folder(dump127, { client: bin.other127!, server: bin['maps1.27']! });
    expect(loadHeapDumpFile(openChunkedFile, d, exeBeside(d)).exe).toBe(join(d, '..', 'server'));
  });

  it('of two copies of the build, the one named like the dump; two copies named otherwise are a guess, so none', () => {
    const named = folder(dump127, { heap: bin['maps1.27']!, server: bin['maps1.27']! });
    expect(loadHeapDumpFile(openChunkedFile, named, exeBeside(named)).exe).toBe(join(named, '..', 'heap'));
    const twins = folder(dump127, { one: bin['maps1.27']!, two: bin['maps1.27']! });
    const loaded = loadHeapDumpFile(openChunkedFile, twins, exeBeside(twins));
    expect(loaded.exe).toBeNull();
    expect(loaded.analysis.graph.globalsNamed).toBe(false);
  });

  it("never a binary of another build, even the only one or one named like the dump: its addresses would name the wrong globals", () => {
    const lone = folder(dump127, { server: bin['maps1.19']! });
    expect(loadHeapDumpFile(openChunkedFile, lone, exeBeside(lone)).exe).toBeNull();
    const named = folder(dump127, { heap: bin.other127!, server: bin['maps1.27']! });
    expect(loadHeapDumpFile(openChunkedFile, named, exeBeside(named)).exe).toBe(join(named, '..', 'server'));
  });

  it('a stripped build named like the dump is still its binary: chosen, and the output says it names nothing', async () => {
    const stripped = join(mkdtempSync(join(tmpdir(), 'heapscope-stripped-')), 'heap');
    execFileSync('objcopy', ['--strip-all', bin['maps1.27']!, stripped]);
    const d = folder(dump127, { heap: stripped, server: bin['maps1.27']! });
    expect(loadHeapDumpFile(openChunkedFile, d, exeBeside(d)).exe).toBe(join(d, '..', 'heap'));
    const out = (await runCli(['findings', d])).out;
    expect(out).toContain(`(globals unnamed: ${join(d, '..', 'heap')}, found beside it, does not name them, see the warning)`);
    expect(out).toMatch(/warning: .*stripped/);
    // named otherwise, a stripped copy is no candidate: the build with symbols names the dump
    const other = folder(dump127, { 'server.stripped': stripped, server: bin['maps1.27']! });
    expect(loadHeapDumpFile(openChunkedFile, other, exeBeside(other)).exe).toBe(join(other, '..', 'server'));
  });

  it('the CLI names a dump by the binary beside it, and says so; with none of its builds beside, it says to pass --exe', async () => {
    const d = folder(dump127, { 'server-a': bin['maps1.19']!, 'server-b': bin['maps1.27']! });
    const retain = await runCli(['retain', d, '--top', '50']);
    expect(retain.code).toBe(0);
    expect(retain.out).toContain(`binary: ${join(d, '..', 'server-b')} (found beside the dump`);
    expect(retain.out).toContain('global main.bigIndex');
    const findings = await runCli(['findings', d]);
    expect(findings.out).toContain(`(named by ${join(d, '..', 'server-b')}, found beside it)`);
    const types = await runCli(['types', d, '--json']);
    expect((JSON.parse(types.out) as { typedBytesShare: number }).typedBytesShare).toBeGreaterThan(0.9);
    const none = folder(dump127, { server: bin['maps1.19']! });
    const bare = await runCli(['retain', none]);
    expect(bare.out).toContain('no binary of this dump beside it: pass --exe');
    expect(bare.out).not.toContain('global main.bigIndex');
  });

  it('a gzipped dump is typed as fully as the plain one, with the binary given or beside it, in every command', async () => {
    const d = folder(dump127, { server: bin['maps1.27']! });
    const gz = `${d}.gz`;
    writeFileSync(gz, gzipSync(readFileSync(d)));
    const share = async (args: string[]) => (JSON.parse((await runCli(args)).out) as { typedBytesShare: number }).typedBytesShare;
    const plain = await share(['types', d, '--json']);
    expect(plain).toBeGreaterThan(0.9);
    expect(await share(['types', gz, '--json'])).toBe(plain);
    expect(await share(['types', gz, '--exe', bin['maps1.27']!, '--json'])).toBe(plain);
    // findings read gzipped dumps through the same loader: the big map's finding names its type
    const f = await runCli(['findings', gz, '--json']);
    const byPlain = await runCli(['findings', d, '--json']);
    const titles = (out: string) => (JSON.parse(out) as { findings: Array<{ title: string }> }).findings.map((x) => x.title);
    expect(titles(f.out)).toEqual(titles(byPlain.out));
    expect(titles(f.out).some((t) => t.includes('main.registry') || t.includes('main.bigIndex'))).toBe(true);
  });
});
