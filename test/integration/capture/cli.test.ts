/**
 * `heapscope capture`, run in-process through main() with an injected CliIO, against the real Go
 * pprofserver (and a refused port for the error path).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../../electron/cli/main';
import type { CliIO } from '../../../electron/cli/io';
import { parseDuration, parseSize } from '../../../electron/cli/commands/capture';
import { importProfile } from '../../../shared/profile';
import { closedPort, ensurePprofServer, gunzip, startPprofServer, tempDir, type GoServer, cleanupTempDirs } from './helpers';

afterAll(cleanupTempDirs);

async function run(args: string[], isTTY = false): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
    readFile: async () => {
      throw new Error('unused');
    },
    gunzip,
    openFile: () => {
      throw new Error('unused');
    },
    isTTY,
  };
  process.exitCode = undefined;
  const code = await main(args, io);
  process.exitCode = undefined;
  return { out, err, code };
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('heapscope capture: arguments', () => {
  it('parses durations and sizes', () => {
    expect([parseDuration('--every', '10s'), parseDuration('--every', '1.5m'), parseDuration('--every', '250ms'), parseDuration('--every', '2')]).toEqual([10_000, 90_000, 250, 2000]);
    expect([parseSize('--max-size', '1GiB'), parseSize('--max-size', '500MB'), parseSize('--max-size', '64k'), parseSize('--max-size', '1000')]).toEqual([1024 ** 3, 500 * 1024 ** 2, 65536, 1000]);
    expect(() => parseDuration('--every', 'soon')).toThrow('--every takes a duration like 10s, 2m or 500ms, not "soon"');
  });

  it('bad input: one line, exit code 1, no request made', async () => {
    const cases: Array<[string[], string]> = [
      [['capture', 'ftp://127.0.0.1:1'], 'heapscope: only http and https URLs are accepted, not ftp: ("ftp://127.0.0.1:1")\n'],
      [['capture', ':1', '--profile', 'cmdline'], 'heapscope: --profile must be one of heap, allocs, goroutine, goroutineleak, mutex, block, threadcreate, profile; not "cmdline"\n'],
      [['capture', ':1', '--profile', 'allocs', '--gc'], 'heapscope: gc (run a GC first) applies to the heap profile only\n'],
      [['capture', ':1', '--count', '3'], 'heapscope: --count needs --every\n'],
      [['capture', ':1', '--every', 'often'], 'heapscope: --every takes a duration like 10s, 2m or 500ms, not "often"\n'],
      [['capture', ':1', '--debug', '3'], 'heapscope: --debug must be 0, 1 or 2, not "3"\n'],
    ];
    for (const [args, err] of cases) {
      const r = await run(args);
      expect(r.err, args.join(' ')).toBe(err);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
    }
  });

  it('a network fault is one line naming the URL, exit code 1', async () => {
    const port = await closedPort();
    const dir = tempDir();
    const r = await run(['capture', `127.0.0.1:${port}`, '--out', dir, '--connect-timeout', '300ms']);
    expect(r.err).toBe(`heapscope: http://127.0.0.1:${port}/debug/pprof/heap: connection refused\n`);
    expect(r.code).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });
});

const why = ensurePprofServer();

describe.skipIf(why !== null)('heapscope capture against a real Go service', () => {
  let go: GoServer;
  beforeAll(async () => {
    go = await startPprofServer();
  });
  afterAll(async () => {
    await go?.close();
  });

  it('--list prints the profiles with their counts', async () => {
    const r = await run(['capture', go.url, '--list']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^Profiles at ${go.url.replace(/[.]/g, '\\.')}/debug/pprof/:\n`));
    expect(r.out).toMatch(/^ {2}goroutine\s+\d+ {2}Stack traces of all current goroutines$/m);
    expect(r.out).toMatch(/^ {2}cmdline\s+\d+ {2}\(not a profile Heapscope captures\)/m);
  });

  it('captures one profile into --out, named by profile and time', async () => {
    const dir = tempDir();
    const r = await run(['capture', go.url.replace('http://', ''), '--profile', 'heap', '--gc', '--out', dir]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^heap-\d{8}T\d{6}Z-gc\.pb\.gz$/);
    const size = readFileSync(join(dir, files[0]!)).length;
    expect(r.out).toBe(`saved ${join(dir, files[0]!)} (${size.toLocaleString('en-US')} bytes) from ${go.url}/debug/pprof/heap?gc=1\n`);
    expect(importProfile(new Uint8Array(readFileSync(join(dir, files[0]!))), files[0]!, { gunzip }).profileKind).toBe('heap');
  });

  it('a CPU profile with --seconds: a plain line without a terminal, a countdown bar on one', async () => {
    const dir = tempDir();
    const plain = await run(['capture', go.url, '--profile', 'profile', '--seconds', '1', '--out', dir]);
    expect(plain.code).toBe(0);
    expect(plain.err).toBe(`cpu: profiling for 1 s (${go.url}/debug/pprof/profile?seconds=1)\n`);
    expect(plain.out).toMatch(/^saved .*cpu-\d{8}T\d{6}Z-1s\.pb\.gz \([\d,]+ bytes\) from /);

    const tty = await run(['capture', go.url, '--profile', 'profile', '--seconds', '1', '--out', dir], true);
    expect(tty.code).toBe(0);
    expect(tty.err).toMatch(/cpu \[[=-]{30}\] \d+% \| 1 s left/);
    expect(tty.out).toMatch(/^saved .*cpu-\d{8}T\d{6}Z-1s(-2)?\.pb\.gz/);
    expect(readdirSync(dir)).toHaveLength(2);
  });

  it('--every --count: a watch into a session folder, the series printed each tick', async () => {
    const dir = tempDir();
    const r = await run(['capture', go.url, '--profile', 'heap,goroutine', '--every', '300ms', '--count', '3', '--out', dir]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const sessions = readdirSync(dir);
    expect(sessions).toHaveLength(1);
    const session = join(dir, sessions[0]!);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toBe(`watching ${go.url}/debug/pprof/ every 0.3 s, 3 times, into ${session}`);
    // A watch asks for a GC before each heap (issue 13: gc=1 by default, --no-gc opts out).
    expect(lines.filter((l) => /^tick \d: saved (heap-\d{8}T\d{6}Z-gc|goroutine-\d{8}T\d{6}Z)(-\d+)?\.pb\.gz \([\d,]+ bytes\)$/.test(l))).toHaveLength(6);
    expect(lines.filter((l) => /^tick \d: live heap [\d.]+ [KM]iB, HeapAlloc [\d.]+ [KM]iB, HeapInuse [\d.]+ [KM]iB, HeapObjects [\d,]+, NumGC \d+, goroutines \d+, Sys [\d.]+ [KM]iB$/.test(l))).toHaveLength(3);
    expect(lines).toContain(lines.find((l) => /^finding: goroutines grew from \d+ to \d+ over 3 captures/.test(l)));
    expect(lines.at(-1)).toMatch(new RegExp(`^done: 3 ticks, 6 captures \\(6 kept, [\\d.]+ [KM]iB\\) in ${session.replace(/[.]/g, '\\.')}$`));
    expect(readdirSync(session).filter((f) => f.endsWith('.pb.gz'))).toHaveLength(6);
  });

  it('a watch where every request fails: one line per fault and tick, exit code 1', async () => {
    const dir = tempDir();
    // A 10-byte limit: every capture and every series read is over it.
    const r = await run(['capture', go.url, '--profile', 'threadcreate', '--debug', '1', '--every', '200ms', '--count', '2', '--out', dir, '--max-size', '10']);
    expect(r.code).toBe(1);
    // Small bodies come with a Content-Length (the limit is checked before reading); big ones are cut while streaming.
    const errs = r.err
      .trimEnd()
      .split('\n')
      .map((l) => l.replace(/ \(the server announced [\d,]+ bytes\)$/, ''))
      .sort();
    const want = (t: number) => [
      `tick ${t}: heapscope: ${go.url}/debug/pprof/goroutine?debug=1: body over the 10 bytes limit`,
      `tick ${t}: heapscope: ${go.url}/debug/pprof/heap?debug=1: body over the 10 bytes limit`,
      `tick ${t}: heapscope: ${go.url}/debug/pprof/threadcreate?debug=1: body over the 10 bytes limit`,
    ];
    expect(errs).toEqual([...want(1), ...want(2)].sort());
    expect(r.out.trimEnd().split('\n').at(-1)).toMatch(/^done: 2 ticks, 2 failed, 0 captures \(0 kept, 0 bytes\) in /);
  });
});
