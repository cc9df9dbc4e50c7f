/**
 * A service's log as Go developers save it (kubectl logs, journalctl, a CI job's output): the
 * program's own lines, maybe `GODEBUG=gctrace=1` lines, then a crash's goroutine dump (a panic, a
 * SIGQUIT) somewhere further than the first lines. Real dumps: the Go 1.26 crash traceback of the
 * modern fixture (GOTRACEBACK=system) and the gctrace fixture.
 * - Without gctrace, the file is a goroutine dump (it was "not a profile" when the crash came after
 *   the first 4 KiB); what a crash prints after its goroutines (registers, "exit status 2") is no
 *   warning, other trailing text is.
 * - With gctrace, both: the app opens two items (the GCs and "NAME (goroutines)"), the CLI reads
 *   two inputs.
 * - A log line that says "panic: " without a goroutine dump after it makes no dump.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallContext } from '../../shared/api/contract';
import { AnalysisHost } from '../../electron/services/analysis-host';
import { ApiService } from '../../electron/services/api-service';
import { importProfile } from '../../shared/profile';
import { findCrashDump } from '../../shared/profile/legacy/goroutines';
import { ROOT, runCli } from '../unit/compare/fixtures';
import { nodeIO } from '../../electron/cli/io';
import { inputLabel, loadInputs } from '../../electron/cli/load';
import { toReportInput } from '../../electron/cli/commands/report';
import { WORKER_JS } from '../helpers/paths';

const CRASH = readFileSync(join(ROOT, 'test', 'fixtures', 'out', 'go1.26', 'modern', 'crash-system.txt'), 'utf8');
const GCTRACE = readFileSync(join(ROOT, 'test', 'fixtures', 'extra', 'out', 'gctrace', 'leak.txt'), 'utf8');
const GOROUTINES = (CRASH.match(/^goroutine \d+ /gm) ?? []).length;
const REGISTERS = '\nrax    0xca\nrbx    0x0\nrip    0x4986a1\nrflags 0x286\ncs     0x33\nexit status 2\n';
const dir = mkdtempSync(join(tmpdir(), 'heapscope-service-logs-'));
const DEPS = { gunzip: (b: Uint8Array) => new Uint8Array(gunzipSync(b)) };

function logLines(n: number): string {
  return Array.from({ length: n }, (_, i) => `2026/12/07 20:13:09 GET /item/${i} 200 1.2ms (a panic: in a log line is just text)`).join('\n') + '\n';
}
function write(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

let host: AnalysisHost | null = null;
afterEach(async () => {
  await host?.close();
  host = null;
});
const ctx = (): CallContext => ({ callId: 'c1', signal: new AbortController().signal, progress: () => undefined });

describe('service logs that end in a crash', () => {
  it('a log with its crash after 1000 lines reads as that goroutine dump; the registers after it are no warning', () => {
    const text = logLines(1000) + CRASH + REGISTERS;
    expect(findCrashDump(text)?.line).toBe(1001);
    const r = importProfile(new TextEncoder().encode(text), 'svc.log', DEPS);
    expect(r.format).toBe('goroutine-debug2');
    expect(r.goroutines).toHaveLength(GOROUTINES);
    expect(r.warnings.filter((w) => w.includes('trailing'))).toEqual([]);
    // Other text after the goroutines is said.
    const more = importProfile(new TextEncoder().encode(text + 'server restarted\n'), 'svc.log', DEPS);
    expect(more.warnings.some((w) => w.includes('ignored trailing text'))).toBe(true);
  });

  it("a stack the program logged before the crash (debug.Stack() in a recover) is not the dump", () => {
    const logged = 'recovered: boom\ngoroutine 7 [running]:\nmain.handler(...)\n\t/src/main.go:10 +0x1d\n\n';
    const r = importProfile(new TextEncoder().encode(logLines(20) + logged + logLines(20) + CRASH + REGISTERS), 'svc.log', DEPS);
    expect(r.goroutines).toHaveLength(GOROUTINES);
    expect(r.goroutines!.some((g) => g.id === 7 && g.frames.some((f) => f.func === 'main.handler'))).toBe(false);
  });

  it('log lines that only mention a panic make no goroutine dump', () => {
    const text = logLines(50) + 'panic: something\nno goroutines follow\n';
    expect(findCrashDump(text)).toBeNull();
    expect(() => importProfile(new TextEncoder().encode(text), 'svc.log', DEPS)).toThrow(/not a profile/);
  });

  it('with gctrace lines too, the app opens both: the GCs and the goroutines', async () => {
    const path = write('service.log', logLines(10) + GCTRACE + logLines(10) + CRASH + REGISTERS);
    host = new AnalysisHost({ workerPath: WORKER_JS });
    const s = new ApiService(host, { version: 'test', transport: 'http' });
    const r = await s.handlers.openFiles({ paths: [path] }, ctx());
    expect(r.failures).toEqual([]);
    expect(r.items.map((i) => `${i.kind} ${i.name}`)).toEqual(['gctrace service.log', 'profile service.log (goroutines)']);
    expect(r.items[0]!.gctrace?.goroutineDump).toEqual({ line: 21 + GCTRACE.split('\n').length - 1, what: CRASH.split('\n')[0] });
    expect(r.items[1]!.profileKind).toBe('goroutine');
    expect(r.items[1]!.totals[0]).toBe(GOROUTINES);
    const f = await s.handlers.findings({}, ctx());
    expect(f.findings.map((x) => x.kind)).toEqual(expect.arrayContaining(['live-heap-growth']));
    expect(f.findings.some((x) => x.sources.includes('service.log (goroutines)'))).toBe(true);
    // Closing one leaves the other working.
    await s.handlers.closeItem({ handle: r.items[0]!.handle }, ctx());
    expect((await s.handlers.top({ handle: r.items[1]!.handle }, ctx())).rows.length).toBeGreaterThan(0);
  });

  it('and the CLI reads both inputs', async () => {
    const path = write('service2.log', logLines(10) + GCTRACE + CRASH + REGISTERS);
    const run = await runCli(['findings', path]);
    expect(run.err).toBe('');
    expect(run.out).toContain(`read ${path}: gctrace log`);
    expect(run.out).toContain(`read ${path} (goroutines): goroutine profile (goroutine-debug2)`);
    expect(run.out).toMatch(/live heap after GC keeps rising/);
  });

  it("names the log's goroutines part as one, and reads its file as the log", async () => {
    const text = logLines(10) + GCTRACE + CRASH;
    const path = write('service3.log', text);
    const inputs = await loadInputs(nodeIO, path);
    expect(inputs.map(inputLabel)).toEqual([path, `${path} (goroutines)`]);
    // The report's input table: the part's source and size are the log file's (a made-up path
    // "service3.log (goroutines)" has neither).
    const r = toReportInput(inputs[1]!, undefined);
    expect(r.name).toBe(`${path} (goroutines)`);
    expect(r.source).toBe(path);
    expect(r.sizeBytes).toBe(Buffer.byteLength(text));
  });
});
