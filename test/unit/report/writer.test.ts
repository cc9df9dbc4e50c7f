/** The report writer (atomic, never over an input) and `heapscope report` in-process. */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerReport } from '../../../electron/cli/commands/report';
import { gunzip, openChunkedFile, type CliIO } from '../../../electron/cli/io';
import { HeapscopeError } from '../../../shared/errors';
import { loadReportAssets, writeFileAtomic, writeReport } from '../../../electron/services/report-writer';
import { assembleReport } from '../../../shared/report/assemble';
import { bytesOf, haveLeakyapp, LEAKYAPP, ROOT } from '../compare/fixtures';

const DIST_REPORT = join(ROOT, 'dist', 'report');
const haveBundle = existsSync(join(DIST_REPORT, 'report.js'));
const dir = mkdtempSync(join(tmpdir(), 'heapscope-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ASSETS = { js: 'void 0;', css: 'body{}' };

describe('writeFileAtomic / writeReport', () => {
  it('writes through a temporary file and leaves nothing else behind', () => {
    const d = mkdtempSync(join(dir, 'w-'));
    const out = join(d, 'r.html');
    writeFileSync(out, 'old');
    const model = assembleReport([], { heapscopeVersion: 'test' });
    const w = writeReport(model, out, { assets: ASSETS });
    expect(w.path).toBe(out);
    const text = readFileSync(out, 'utf8');
    expect(w.sizeBytes).toBe(Buffer.byteLength(text));
    expect(text).toMatch(/^<!doctype html>/);
    expect(readdirSync(d)).toEqual(['r.html']);
  });

  it('never overwrites an input, by path or through a link', () => {
    const d = mkdtempSync(join(dir, 'p-'));
    const input = join(d, 'heap.pb.gz');
    writeFileSync(input, 'profile bytes');
    const link = join(d, 'link.html');
    symlinkSync(input, link);
    expect(() => writeFileAtomic(input, 'x', [input])).toThrow(/refusing to overwrite an input/);
    expect(() => writeFileAtomic(join(d, '.', 'heap.pb.gz'), 'x', [input])).toThrow(HeapscopeError);
    expect(() => writeFileAtomic(link, 'x', [input])).toThrow(/refusing/);
    expect(readFileSync(input, 'utf8')).toBe('profile bytes');
    expect(readdirSync(d).sort()).toEqual(['heap.pb.gz', 'link.html']);
  });

  it('fails with one IO error naming the file when the folder is missing or the path is a folder', () => {
    expect(() => writeFileAtomic(join(dir, 'nope', 'r.html'), 'x')).toThrow(/cannot write the report: no such directory/);
    expect(() => writeFileAtomic(dir, 'x')).toThrow(/is a directory/);
  });

  it('says how to build the viewer when its bundle is missing', () => {
    expect(() => loadReportAssets(join(dir, 'no-such-dist'))).toThrow(/report viewer is not built.*npm run build/);
  });
});

async function runCli(args: string[]): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
    async readFile(path) {
      if (!existsSync(path)) throw new HeapscopeError({ code: 'NOT_FOUND', message: 'cannot read: no such file', file: path });
      return bytesOf(path);
    },
    gunzip,
    openFile: openChunkedFile,
    isTTY: false,
  };
  const program = new Command();
  program.exitOverride();
  program.configureOutput({ writeOut: (s) => void (out += s), writeErr: (s) => void (err += s) });
  registerReport(program, io);
  const saved = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync(args, { from: 'user' });
    return { out, err, code: typeof process.exitCode === 'number' ? process.exitCode : 0 };
  } catch (e) {
    const code = (e as { exitCode?: number }).exitCode;
    return { out, err, code: typeof code === 'number' ? code : 1 };
  } finally {
    process.exitCode = saved;
  }
}

describe.skipIf(!haveLeakyapp || !haveBundle)('heapscope report (in-process)', () => {
  it('writes one file and prints its path and size', async () => {
    const out = join(dir, 'cli.html');
    const files = ['heap-1.pb.gz', 'heap-3.pb.gz', 'goroutine.debug2.txt', 'heap.dump'].map((f) => join(LEAKYAPP, f));
    const r = await runCli(['report', ...files, '--exe', join(LEAKYAPP, 'leakyapp'), '-o', out, '--title', 'Leak hunt <b>1</b>']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^wrote ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\([\\d.]+ KiB, \\d+ bytes\\): \\d+ findings, \\d+ sections\\n$`));
    const html = readFileSync(out, 'utf8');
    expect(html.includes('<title>Leak hunt &lt;b&gt;1&lt;/b&gt;</title>')).toBe(true);
    expect(html.includes("content=\"default-src 'none'; script-src 'sha256-")).toBe(true);
  });

  it('refuses to write over an input, and names a missing input', async () => {
    const input = join(LEAKYAPP, 'heap-1.pb.gz');
    const before = readFileSync(input);
    const r = await runCli(['report', input, '-o', input]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/refusing to overwrite an input/);
    expect(readFileSync(input).equals(before)).toBe(true);
    const m = await runCli(['report', join(LEAKYAPP, 'nope.pb.gz'), '-o', join(dir, 'x.html')]);
    expect(m.code).toBe(1);
    expect(m.err).toMatch(/nope\.pb\.gz/);
    const f = await runCli(['report', input, '--min-fraction', '2']);
    expect(f.code).not.toBe(0);
    expect(f.err).toMatch(/fraction/);
  });

  it('takes the URL and time of captures from their session.json', async () => {
    const d = mkdtempSync(join(dir, 'session-'));
    const name = 'heap-20260101T000000Z.pb.gz';
    writeFileSync(join(d, name), readFileSync(join(LEAKYAPP, 'heap-1.pb.gz')));
    writeFileSync(join(d, 'session.json'), JSON.stringify({ heapscopeWatch: 1, url: 'http://127.0.0.1:6060/debug/pprof/', captures: [{ tick: 1, file: name, meta: { url: 'http://127.0.0.1:6060/debug/pprof/heap?gc=1', timeMs: 1767225600000 } }] }));
    const out = join(d, 'r.html');
    const r = await runCli(['report', join(d, name), '-o', out]);
    expect(r.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html.includes('http://127.0.0.1:6060/debug/pprof/heap?gc=1')).toBe(true);
  });
});
