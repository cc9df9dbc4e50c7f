/**
 * The pure parts of live capture: URL normalisation, the index-page parser (untrusted HTML),
 * the MemStats parser, request checks, body checks, file naming and atomic saves, growth findings,
 * credentials.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { normaliseTarget } from '../../../electron/services/capture/url';
import { parseIndexPage, plainText } from '../../../electron/services/capture/index-page';
import { parseGoroutineTotal, parseMemStats } from '../../../electron/services/capture/memstats';
import { captureParams, captureUrl, checkBody } from '../../../electron/services/capture/capture';
import { captureFileName, createSessionDir, saveNew } from '../../../electron/services/capture/store';
import { growthFindings } from '../../../electron/services/capture/growth';
import { authHeaders, redactHeaders, SessionAuthStore } from '../../../electron/services/capture/auth';
import { formatBytes, formatSeconds } from '../../../electron/services/capture/format';
import { CaptureService, type AuthConfig, type SeriesPoint } from '../../../electron/services/capture';
import { LEAKYAPP, tempDir, cleanupTempDirs } from './helpers';
import { heapscopeErrorOf } from '../../helpers/errors';

afterAll(cleanupTempDirs);


describe('normaliseTarget', () => {
  it.each([
    ['127.0.0.1:6060', 'http://127.0.0.1:6060/debug/pprof/', undefined],
    ['localhost:6060', 'http://localhost:6060/debug/pprof/', undefined],
    [':6060', 'http://127.0.0.1:6060/debug/pprof/', undefined],
    ['  http://127.0.0.1:6060  ', 'http://127.0.0.1:6060/debug/pprof/', undefined],
    ['http://127.0.0.1:6060/', 'http://127.0.0.1:6060/debug/pprof/', undefined],
    ['http://127.0.0.1:6060/debug/pprof', 'http://127.0.0.1:6060/debug/pprof/', undefined],
    ['http://127.0.0.1:6060/debug/pprof/', 'http://127.0.0.1:6060/debug/pprof/', undefined],
    ['http://127.0.0.1:6060/debug/pprof/heap?debug=1#x', 'http://127.0.0.1:6060/debug/pprof/', 'heap'],
    ['HTTPS://Example.com/admin/debug/pprof/goroutine', 'https://example.com/admin/debug/pprof/', 'goroutine'],
    ['example.com:8080/internal/pprof', 'http://example.com:8080/internal/pprof/', undefined],
    ['[::1]:6060', 'http://[::1]:6060/debug/pprof/', undefined],
  ])('%s → %s', (typed, index, hint) => {
    const t = normaliseTarget(typed);
    expect(t.indexUrl).toBe(index);
    expect(t.profileHint).toBe(hint);
    expect(t.auth).toBeUndefined();
  });

  it('takes credentials out of the URL', () => {
    const t = normaliseTarget('http://ops:p%40ss@127.0.0.1:6060/debug/pprof/');
    expect(t.indexUrl).toBe('http://127.0.0.1:6060/debug/pprof/');
    expect(t.auth).toEqual({ kind: 'basic', username: 'ops', password: 'p@ss' });
  });

  it('rejects other schemes and nonsense with a clear message', () => {
    expect(heapscopeErrorOf(() => normaliseTarget('ftp://host/x')).message).toBe('only http and https URLs are accepted, not ftp: ("ftp://host/x")');
    expect(heapscopeErrorOf(() => normaliseTarget('file:///etc/passwd')).message).toBe('only http and https URLs are accepted, not file: ("file:///etc/passwd")');
    expect(heapscopeErrorOf(() => normaliseTarget('data:text/html,<b>x</b>')).code).toBe('BAD_REQUEST');
    expect(heapscopeErrorOf(() => normaliseTarget('')).message).toBe('enter the address of a Go service, like http://127.0.0.1:6060');
    expect(heapscopeErrorOf(() => normaliseTarget('http://')).message).toMatch(/^not a valid URL/);
    expect(heapscopeErrorOf(() => normaliseTarget('http:/host')).message).toBe('not a valid URL: "http:/host"');
  });
});

const GO_INDEX = `<html>
<head>
<title>/debug/pprof/</title>
</head>
<body>
/debug/pprof/<br>
<br>
Types of profiles available:
<table>
<thead><td>Count</td><td>Profile</td></thead>
<tr><td>134</td><td><a href='allocs?debug=1'>allocs</a></td></tr>
<tr><td>7</td><td><a href='goroutine?debug=1'>goroutine</a></td></tr>
<tr><td>137</td><td><a href='heap?debug=1'>heap</a></td></tr>
<tr><td>0</td><td><a href='cmdline?debug=1'>cmdline</a></td></tr>
<tr><td>2</td><td><a href='my.custom?debug=1'>my.custom</a></td></tr>
</table>
<a href="goroutine?debug=2">full goroutine stack dump</a>
<ul>
<li><div class=profile-name>heap: </div> A sampling of memory allocations of live objects. You can specify the gc GET parameter to run GC before taking the heap sample.</li>
<li><div class=profile-name>goroutine: </div> Stack traces of all current goroutines</li>
</ul>
</body>
</html>`;

describe('parseIndexPage', () => {
  it("reads Go's index page", () => {
    const r = parseIndexPage(GO_INDEX, 'http://127.0.0.1:6060/debug/pprof/');
    expect(r.profiles.map((p) => [p.name, p.count, p.href, p.capturable])).toEqual([
      ['allocs', 134, 'http://127.0.0.1:6060/debug/pprof/allocs?debug=1', true],
      ['goroutine', 7, 'http://127.0.0.1:6060/debug/pprof/goroutine?debug=1', true],
      ['heap', 137, 'http://127.0.0.1:6060/debug/pprof/heap?debug=1', true],
      ['cmdline', 0, 'http://127.0.0.1:6060/debug/pprof/cmdline?debug=1', false],
      ['my.custom', 2, 'http://127.0.0.1:6060/debug/pprof/my.custom?debug=1', true],
    ]);
    expect(r.profiles.find((p) => p.name === 'goroutine')!.description).toBe('Stack traces of all current goroutines');
    expect(r.hasFullGoroutineDump).toBe(true);
  });

  it("reads the older page (Go before 1.11: no closing tags, double quotes)", () => {
    const old = `<html><body>/debug/pprof/<br><br>profiles:<br><table>
<tr><td align=right>1<td><a href="block?debug=1">block</a>
<tr><td align=right>12<td><a href="goroutine?debug=1">goroutine</a>
</table><br><a href="goroutine?debug=2">full goroutine stack dump</a><br></body></html>`;
    const r = parseIndexPage(old, 'http://h:1/debug/pprof/');
    expect(r.profiles.map((p) => [p.name, p.count])).toEqual([
      ['block', 1],
      ['goroutine', 12],
    ]);
  });

  it('treats the page as untrusted text: no markup, no foreign links, no odd names', () => {
    const evil = `<table>
<tr><td>5</td><td><a href='javascript:alert(1)'>heap</a></td></tr>
<tr><td>6</td><td><a href='http://evil.example/steal'>goroutine</a></td></tr>
<tr><td>7</td><td><a href='x'><img src=x onerror=alert(1)>bad name</a></td></tr>
<tr><td>8</td><td><a href='mutex?debug=1&amp;x=1'>mutex</a></td></tr>
</table>
<ul><li><div class=profile-name>mutex: </div> Holders &lt;b&gt;of&lt;/b&gt; <script>alert(1)</script>locks&#x202e;</li></ul>`;
    const r = parseIndexPage(evil, 'http://127.0.0.1:1/debug/pprof/');
    expect(r.profiles.map((p) => [p.name, p.count, p.href])).toEqual([
      ['heap', 5, ''],
      ['goroutine', 6, ''],
      ['mutex', 8, 'http://127.0.0.1:1/debug/pprof/mutex?debug=1&x=1'],
    ]);
    // Entities decode to plain text (rendered as text by the UI, never as HTML); controls removed.
    expect(r.profiles[2]!.description).toBe('Holders <b>of</b> alert(1) locks');
    expect(plainText('a\u0000b\u202ec')).toBe('a b c');
  });

  it('says when a page is not the index', () => {
    expect(heapscopeErrorOf(() => parseIndexPage('<html><head><title>Login</title></head><body>who?</body></html>', 'http://h:1/debug/pprof/')).message).toBe(
      'http://h:1/debug/pprof/: not a net/http/pprof index (no profile table found; got a page titled "Login")',
    );
    expect(heapscopeErrorOf(() => parseIndexPage('{"ok":true}', 'http://h:1/debug/pprof/')).message).toMatch(/got something else\)$/);
  });
});

describe('MemStats and goroutine counts', () => {
  it('reads the runtime.MemStats block of a real heap debug=1 profile', () => {
    const text = readFileSync(join(LEAKYAPP, 'heap-3.debug1.txt'), 'utf8');
    const m = parseMemStats(text);
    const want = (name: string) => Number(new RegExp(`^# ${name} = (\\d+)$`, 'm').exec(text)![1]);
    expect(m.heapAlloc).toBe(want('HeapAlloc'));
    expect(m.heapInuse).toBe(want('HeapInuse'));
    expect(m.heapObjects).toBe(want('HeapObjects'));
    expect(m.numGC).toBe(want('NumGC'));
    expect(m.numGC).toBeGreaterThanOrEqual(3);
    expect(m.fields.TotalAlloc).toBe(want('TotalAlloc'));
    const stack = /^# Stack = (\d+) \/ (\d+)$/m.exec(text)!;
    expect([m.fields.StackInuse, m.fields.StackSys]).toEqual([Number(stack[1]), Number(stack[2])]);
    expect(m.fields.PauseNs).toBeUndefined();
  });

  it('reads the goroutine total of a real goroutine debug=1 profile', () => {
    const b = new Uint8Array(readFileSync(join(LEAKYAPP, 'goroutine.debug1.txt')));
    expect(parseGoroutineTotal(b)).toBe(Number(/^goroutine profile: total (\d+)/.exec(new TextDecoder().decode(b))![1]));
  });

  it('says what is missing', () => {
    expect(heapscopeErrorOf(() => parseMemStats('heap profile: 0: 0 [0: 0] @ heap/1\n')).message).toBe('no "# runtime.MemStats" block in the heap profile');
    expect(heapscopeErrorOf(() => parseMemStats('# runtime.MemStats\n# HeapAlloc = 1\n# NumGC = 2\n')).message).toBe('the runtime.MemStats block lacks HeapInuse, HeapObjects');
    expect(heapscopeErrorOf(() => parseGoroutineTotal('heap profile: 1')).code).toBe('BAD_FORMAT');
  });
});

describe('capture requests', () => {
  it('builds the query Go understands', () => {
    const base = 'http://127.0.0.1:6060/debug/pprof/';
    expect(captureUrl(base, 'heap', captureParams({ profile: 'heap', gc: true }))).toBe(`${base}heap?gc=1`);
    expect(captureUrl(base, 'heap', captureParams({ profile: 'heap', seconds: 10 }))).toBe(`${base}heap?seconds=10`);
    expect(captureUrl(base, 'goroutine', captureParams({ profile: 'goroutine', debug: 2 }))).toBe(`${base}goroutine?debug=2`);
    expect(captureUrl(base, 'profile', captureParams({ profile: 'profile' }))).toBe(`${base}profile?seconds=30`);
    expect(captureUrl(base, 'profile', captureParams({ profile: 'profile', seconds: 5 }))).toBe(`${base}profile?seconds=5`);
    expect(captureUrl(base, 'threadcreate', captureParams({ profile: 'threadcreate', debug: 0 }))).toBe(`${base}threadcreate`);
  });

  it.each([
    [{ profile: 'cmdline' }, 'cmdline is not a profile Heapscope can capture'],
    [{ profile: '../x' }, 'not a profile name: "../x"'],
    [{ profile: 'heap', debug: 2 as const }, 'debug=2 is the goroutine stack dump: use it with the goroutine or goroutineleak profile only'],
    [{ profile: 'profile', debug: 1 as const }, 'the CPU profile has no debug form (it is always protobuf)'],
    [{ profile: 'heap', seconds: 0 }, 'seconds must be a whole number from 1 to 86400, not 0'],
    [{ profile: 'heap', seconds: 1.5 }, 'seconds must be a whole number from 1 to 86400, not 1.5'],
    [{ profile: 'threadcreate', seconds: 5 }, 'seconds applies to the CPU profile and to delta profiles of heap, allocs, goroutine, goroutineleak, mutex, block; not to threadcreate'],
    [{ profile: 'heap', seconds: 5, debug: 1 as const }, 'seconds (a delta profile) and debug cannot be combined: Go serves delta profiles only as protobuf'],
    [{ profile: 'allocs', gc: true }, 'gc (run a GC first) applies to the heap profile only'],
    [{ profile: 'heap', gc: true, seconds: 3 }, 'gc does not apply to a delta heap profile (seconds)'],
  ])('rejects %j', (spec, message) => {
    const e = heapscopeErrorOf(() => captureParams(spec));
    expect(e.code).toBe('BAD_REQUEST');
    expect(e.message).toBe(message);
  });

  it('checks bodies are what was asked for', () => {
    const gz = new Uint8Array(gzipSync(Buffer.from('profile bytes')));
    const url = 'http://h:1/debug/pprof/heap';
    expect(checkBody(url, 'heap', {}, gz, 'application/octet-stream')).toBe('pprof-gzip');
    const text = new TextEncoder().encode('heap profile: 1: 2 [3: 4] @ heap/524288\n');
    expect(checkBody(url, 'heap', { debug: 1 }, text, 'text/plain')).toBe('text');
    expect(checkBody(url, 'goroutine', { debug: 2 }, new TextEncoder().encode('goroutine 1 [running]:\nmain.main()\n'), '')).toBe('text');
    expect(checkBody(url, 'threadcreate', { debug: 1 }, new TextEncoder().encode('threadcreate profile: total 5\n'), '')).toBe('text');
    expect(checkBody(url, 'mutex', { debug: 1 }, new TextEncoder().encode('--- mutex:\ncycles/second=1\n'), '')).toBe('text');
    expect(checkBody(url, 'block', { debug: 1 }, new TextEncoder().encode('--- contention:\ncycles/second=1\n'), '')).toBe('text');
    expect(heapscopeErrorOf(() => checkBody(url, 'heap', {}, new Uint8Array(0), '')).message).toBe(`${url}: got an empty answer, not a profile`);
    expect(heapscopeErrorOf(() => checkBody(url, 'heap', {}, gz, 'text/html; charset=utf-8')).message).toBe(`${url}: got an HTML page, not a profile`);
    expect(heapscopeErrorOf(() => checkBody(url, 'heap', { debug: 1 }, gz, '')).message).toBe(`${url}: expected the text form (debug=1), got a gzipped body`);
    expect(heapscopeErrorOf(() => checkBody(url, 'heap', {}, new Uint8Array([0, 1, 2, 3]), '')).message).toBe(`${url}: expected a gzipped profile, got 4 bytes of something else`);
    expect(heapscopeErrorOf(() => checkBody(url, 'goroutine', { debug: 2 }, text, '')).message).toBe(`${url}: expected a goroutine profile (debug=2), got text starting "heap profile: 1: 2 [3: 4] @ heap/524288"`);
  });
});

describe('store', () => {
  const t = new Date('2026-11-22T15:30:12.345Z');
  it('names files by profile and time', () => {
    expect(captureFileName('heap', {}, 'pprof-gzip', t)).toBe('heap-20261122T153012Z.pb.gz');
    expect(captureFileName('heap', { gc: true }, 'pprof-gzip', t)).toBe('heap-20261122T153012Z-gc.pb.gz');
    expect(captureFileName('heap', { seconds: 10 }, 'pprof-gzip', t)).toBe('heap-20261122T153012Z-delta10s.pb.gz');
    expect(captureFileName('goroutine', { debug: 2 }, 'text', t)).toBe('goroutine-20261122T153012Z-debug2.txt');
    expect(captureFileName('profile', { seconds: 30 }, 'pprof-gzip', t)).toBe('cpu-20261122T153012Z-30s.pb.gz');
  });

  it('never overwrites: a taken name gets -2, -3; avoided names are skipped; no temp file is left', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'heap-1.pb.gz'), 'someone else');
    const a = saveNew(dir, 'heap-1.pb.gz', new Uint8Array([1, 2, 3]));
    const b = saveNew(dir, 'heap-1.pb.gz', new Uint8Array([4]), { avoid: new Set(['heap-1-3.pb.gz']) });
    expect([a.name, b.name]).toEqual(['heap-1-2.pb.gz', 'heap-1-4.pb.gz']);
    expect(readFileSync(join(dir, 'heap-1.pb.gz'), 'utf8')).toBe('someone else');
    expect([...readFileSync(a.path)]).toEqual([1, 2, 3]);
    expect(readdirSync(dir).sort()).toEqual(['heap-1-2.pb.gz', 'heap-1-4.pb.gz', 'heap-1.pb.gz']);
  });

  it('a failed save leaves nothing behind and says why', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'not-a-dir'), 'x');
    const e = heapscopeErrorOf(() => saveNew(join(dir, 'not-a-dir'), 'heap.pb.gz', new Uint8Array([1])));
    expect(e.code).toBe('IO');
    expect(e.message).toMatch(/^cannot create the folder: /);
    expect(readdirSync(dir)).toEqual(['not-a-dir']);
  });

  it('session folders are never reused', () => {
    const dir = tempDir();
    const a = createSessionDir(dir, t);
    const b = createSessionDir(dir, t);
    expect([a, b].map((p) => p.slice(dir.length + 1))).toEqual(['watch-20261122T153012Z', 'watch-20261122T153012Z-2']);
  });
});

describe('growth findings', () => {
  const pt = (i: number, heap: number, g: number): SeriesPoint => ({ tick: i + 1, timeMs: 1_000_000 + i * 10_000, heapAlloc: heap, heapInuse: heap, heapObjects: heap / 64, numGC: i, goroutines: g });
  it('flags steady growth with its rate', () => {
    const s = [0, 1, 2, 3, 4].map((i) => pt(i, 1024 * 1024 * (1 + i), 10 + 2 * i));
    const f = growthFindings(s);
    expect(f.map((x) => x.metric)).toEqual(['heapInuse', 'heapAlloc', 'heapObjects', 'goroutines']);
    const g = f.find((x) => x.metric === 'goroutines')!;
    expect(g.message).toBe('goroutines grew from 10 to 18 over 5 captures (+0.2/s)');
    expect(g.severity).toBe('warning');
    expect(f[0]!.message).toBe('heap in use (HeapInuse) grew from 1 MiB to 5 MiB over 5 captures (+102 KiB/s)');
  });
  it('stays quiet on flat or noisy series and with too few points', () => {
    expect(growthFindings([0, 1, 2, 3, 4].map((i) => pt(i, 1_000_000 + (i % 2) * 1000, 10)))).toEqual([]);
    expect(growthFindings([0, 1].map((i) => pt(i, 1_000_000 * (i + 1), 10 + 10 * i)))).toEqual([]);
  });
});

describe('credentials', () => {
  it('builds headers, refuses header injection, redacts for logs', () => {
    expect(authHeaders({ kind: 'bearer', token: ' abc ' })).toEqual({ authorization: 'Bearer abc' });
    expect(authHeaders({ kind: 'basic', username: 'u', password: 'p:w' })).toEqual({ authorization: `Basic ${Buffer.from('u:p:w').toString('base64')}` });
    expect(authHeaders({ kind: 'none' })).toEqual({});
    expect(heapscopeErrorOf(() => authHeaders({ kind: 'bearer', token: 'a\r\nX-Evil: 1' })).message).toBe('the bearer token must not contain line breaks');
    expect(heapscopeErrorOf(() => authHeaders({ kind: 'basic', username: 'a:b', password: '' })).message).toBe('a basic-auth user name must not contain ":"');
    expect(redactHeaders({ Authorization: 'Bearer abc', accept: '*/*' })).toEqual({ Authorization: 'Bearer [redacted]', accept: '*/*' });
  });

  it('keeps credentials in memory unless saved; saved ones go to the persistence only', () => {
    const saved: Array<Record<string, AuthConfig>> = [];
    const store = new SessionAuthStore({ load: () => ({}), save: (all) => void saved.push(structuredClone(all)) });
    store.set('http://a:1/x', { kind: 'bearer', token: 't1' });
    expect(saved).toEqual([]);
    store.set('http://b:2', { kind: 'bearer', token: 't2' }, { save: true });
    expect(saved).toEqual([{ 'http://b:2': { kind: 'bearer', token: 't2' } }]);
    expect(store.get('http://a:1')).toEqual({ kind: 'bearer', token: 't1' });
    expect(store.origins()).toEqual(['http://a:1', 'http://b:2']);
    store.forget('http://b:2');
    expect(saved.at(-1)).toEqual({});
    expect(heapscopeErrorOf(() => new SessionAuthStore().set('http://a:1', { kind: 'bearer', token: 'x' }, { save: true })).message).toBe(
      'credentials cannot be saved here: no credential store is configured',
    );
  });
});

describe('formatting and limits', () => {
  it('formats sizes and durations', () => {
    expect(formatBytes(1024 ** 3)).toBe('1 GiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(1000)).toBe('1,000 bytes');
    expect(formatSeconds(300)).toBe('0.3 s');
    expect(formatSeconds(10_000)).toBe('10 s');
  });
  it('rejects bad limits', () => {
    expect(heapscopeErrorOf(() => new CaptureService({ limits: { connectTimeoutMs: -1 } })).message).toBe('connectTimeoutMs must be a positive number, not -1');
    expect(heapscopeErrorOf(() => new CaptureService({ limits: { maxRedirects: 50 } })).message).toBe('maxRedirects must be a whole number from 0 to 20, not 50');
    const svc = new CaptureService();
    expect(heapscopeErrorOf(() => svc.startWatch({ url: ':1', profiles: [], everyMs: 10, outDir: tempDir() }, () => undefined)).message).toBe('the interval must be at least 100 ms, not 10');
    expect(heapscopeErrorOf(() => svc.startWatch({ url: ':1', profiles: [], series: false, everyMs: 1000, outDir: tempDir() }, () => undefined)).message).toBe(
      'nothing to watch: choose at least one profile, or keep the growth series',
    );
    expect(heapscopeErrorOf(() => svc.startWatch({ url: ':1', profiles: [{ profile: 'heap', debug: 2 }], everyMs: 1000, outDir: tempDir() }, () => undefined)).code).toBe('BAD_REQUEST');
  });
});

describe('payload schemas', () => {
  it('accept well-formed requests and reject stray fields and out-of-range values', async () => {
    const { captureRequestSchema, watchRequestSchema } = await import('../../../electron/services/capture/schemas');
    expect(captureRequestSchema.safeParse({ url: ':6060', profile: 'heap', gc: true, options: { auth: { kind: 'bearer', token: 't' }, connectTimeoutMs: 300 } }).success).toBe(true);
    expect(captureRequestSchema.safeParse({ url: ':6060', profile: 'heap', evil: 1 }).success).toBe(false);
    expect(captureRequestSchema.safeParse({ url: ':6060', profile: 'heap', debug: 3 }).success).toBe(false);
    expect(captureRequestSchema.safeParse({ url: ':6060', profile: '../etc' }).success).toBe(false);
    expect(captureRequestSchema.safeParse({ url: ':6060', profile: 'heap', options: { auth: { kind: 'cookie', value: 'x' } } }).success).toBe(false);
    expect(watchRequestSchema.safeParse({ url: ':6060', profiles: [{ profile: 'heap' }], everyMs: 1000, outDir: '/tmp/x' }).success).toBe(true);
    expect(watchRequestSchema.safeParse({ url: ':6060', profiles: [], everyMs: 10, outDir: '/tmp/x' }).success).toBe(false);
  });
});
