import { describe, it, expect, afterEach } from 'vitest';
import { Command } from 'commander';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzip, openChunkedFile, type CliIO } from '../../../electron/cli/io';
import { registerRetain } from '../../../electron/cli/commands/retain';
import { registerPaths } from '../../../electron/cli/commands/paths';
import { ARENA, ARENA_END, DumpWriter } from './dumpwriter';

const FIX = join(__dirname, '../../fixtures/out/go1.19/leakyapp');
const haveFixture = existsSync(join(FIX, 'heap.dump'));

async function run(args: string[]): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
    readFile: async () => new Uint8Array(0),
    gunzip,
    openFile: openChunkedFile,
    isTTY: false,
  };
  const program = new Command();
  program.exitOverride().configureOutput({ writeOut: (s) => void (out += s), writeErr: (s) => void (err += s) });
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

function tinyDump(): string {
  const dir = mkdtempSync(join(tmpdir(), 'heapscope-cli-'));
  const w = new DumpWriter().params(ARENA, ARENA_END);
  w.object(ARENA, 64, { 0: ARENA + 0x100 + 8 }).object(ARENA + 0x100, 4096);
  w.goroutine({ addr: 0x9000, goid: 9, waitReason: 'select' }).frame({ sp: 0x7000, depth: 0, name: 'main.loop', size: 16, ptrs: { 8: ARENA } });
  w.segment('bss', 0x510000, 16, { 0: ARENA + 0x100 });
  w.memprof(0xa0, 4096, [{ func: 'main.fill', file: '/x/main.go', line: 12 }]).allocSample(ARENA + 0x100, 0xa0);
  const file = join(dir, 'tiny.dump');
  writeFileSync(file, w.eof().finish());
  return file;
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('heapscope retain / paths', () => {
  it('retain --json prints the documented shape', async () => {
    const file = tinyDump();
    const r = await run(['retain', file, '--json']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const j = JSON.parse(r.out);
    expect(j).toEqual({
      goVersion: 'go1.19.8',
      objects: 2,
      reachableObjects: 2,
      reachableBytes: 4160,
      garbageObjects: 0,
      roots: [
        { kind: 'goroutine', name: 'goroutine 9 [select] main.loop', retainedBytes: 64, retainedObjects: 1 },
        { kind: 'global', name: 'global @0x510000', retainedBytes: 0, retainedObjects: 0 },
      ],
      dominators: [
        { address: '0xc000000100', size: 4096, retainedBytes: 4096, allocSite: 'main.fill (main.go:12)' },
        { address: '0xc000000000', size: 64, retainedBytes: 64, allocSite: null },
      ],
    });
    const top = JSON.parse((await run(['retain', file, '--json', '--top', '1'])).out);
    expect(top.roots).toHaveLength(1);
    expect(top.dominators).toHaveLength(1);
  });

  it('retain prints readable tables', async () => {
    const r = await run(['retain', tinyDump()]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Roots by retained size/);
    expect(r.out).toMatch(/RETAINED\s+OBJECTS\s+KIND\s+ROOT/);
    expect(r.out).toMatch(/goroutine 9 \[select\] main\.loop/);
    expect(r.out).toMatch(/main\.fill \(main\.go:12\)/);
  });

  it('paths --json goes from the root to the object', async () => {
    const r = await run(['paths', tinyDump(), '--object', '0xc000000100', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      paths: [
        [{ root: { kind: 'global', name: 'global @0x510000' } }, { address: '0xc000000100', size: 4096, offset: 0, allocSite: 'main.fill (main.go:12)' }],
        [
          { root: { kind: 'goroutine', name: 'goroutine 9 [select] main.loop' } },
          { address: '0xc000000000', size: 64, offset: 8, allocSite: null },
          { address: '0xc000000100', size: 4096, offset: 0, allocSite: 'main.fill (main.go:12)' },
        ],
      ],
    });
    const one = JSON.parse((await run(['paths', tinyDump(), '--object', '0xc000000108', '--k', '1', '--json'])).out);
    expect(one.paths).toHaveLength(1);
    const human = await run(['paths', tinyDump(), '--object', '0xc000000100']);
    expect(human.out).toMatch(/via frame main\.loop sp\+0x8 → 0xc000000000/);
    expect(human.out).toMatch(/interior pointer \+0x8/);
  });

  it('errors are one line with exit code 1', async () => {
    const missing = await run(['retain', '/nonexistent/heap.dump', '--json']);
    expect(missing.code).toBe(1);
    expect(missing.out).toBe('');
    expect(missing.err.trim().split('\n')).toHaveLength(1);
    expect(missing.err).toMatch(/heap\.dump: cannot read: no such file/);
    const dir = mkdtempSync(join(tmpdir(), 'heapscope-cli-'));
    writeFileSync(join(dir, 'bad.dump'), 'not a heap dump at all');
    const bad = await run(['retain', join(dir, 'bad.dump')]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/bad\.dump: not a Go heap dump .*\(as heapdump, at byte 0\)/);
    const notElf = await run(['retain', tinyDump(), '--exe', join(dir, 'bad.dump')]);
    expect(notElf.code).toBe(1);
    expect(notElf.err).toMatch(/not an ELF executable/);
    const noObj = await run(['paths', tinyDump(), '--object', '0x1234']);
    expect(noObj.code).toBe(1);
    expect(noObj.err).toMatch(/no heap object at 0x1234/);
    const badK = await run(['paths', tinyDump(), '--object', '0x1', '--k', 'x']);
    expect(badK.code).not.toBe(0);
  });

  it.skipIf(!haveFixture)('retain --json on the leakyapp dump with its binary', async () => {
    const r = await run(['retain', join(FIX, 'heap.dump'), '--exe', join(FIX, 'leakyapp'), '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.roots.slice(0, 2).map((x: { name: string }) => x.name)).toEqual(['global main.pinned', 'global main.sessionCache']);
    expect(j.roots.filter((x: { name: string }) => /^goroutine \d+ \[chan receive\] main\.worker$/.test(x.name))).toHaveLength(30);
  });
});
