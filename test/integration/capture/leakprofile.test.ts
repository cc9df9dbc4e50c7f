/**
 * Live capture of the goroutine leak profile from a real Go 1.27 net/http/pprof service
 * (test/fixtures/modern/leakprofile/go, built here with GOTOOLCHAIN=go1.27.3; it leaks 22
 * goroutines on purpose), and its absence on a Go 1.26 service built without the experiment.
 * A missing toolchain skips with a printed reason, and fails under CI=true.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../electron/cli/main';
import type { CliIO } from '../../../electron/cli/io';
import { CaptureService } from '../../../electron/services/capture';
import { HeapscopeError } from '../../../shared/errors';
import { computeFindings } from '../../../shared/findings';
import { importProfile, profileSummary } from '../../../shared/profile';
import { goBuild, toolchainOrSkip, type Toolchain } from '../../unit/leakprofile/toolchains';
import { gunzip } from './helpers';

const PROGRAM = join(__dirname, '../../fixtures/modern/leakprofile/go');
const LEAKED = 22;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function temp(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

interface Server {
  url: string;
  close(): Promise<void>;
}

/** Build the program with a toolchain and serve net/http/pprof on 127.0.0.1:0 until stdin closes. */
async function serve(t: Toolchain, env: NodeJS.ProcessEnv = {}): Promise<Server> {
  const exe = join(temp('hs-leaksrv-'), 'leakprofile');
  goBuild(t, PROGRAM, exe, env);
  const proc: ChildProcess = spawn(exe, ['-addr', '127.0.0.1:0'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const url = await new Promise<string>((res, rej) => {
    let buf = '';
    let err = '';
    const timer = setTimeout(() => rej(new Error(`no address within 20 s (stderr: ${err})`)), 20_000);
    proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    proc.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(buf);
      if (m) {
        clearTimeout(timer);
        res(m[1]!);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`exited with ${code} before listening: ${err}`));
    });
  });
  return {
    url,
    close: () =>
      new Promise<void>((res) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return res();
        const k = setTimeout(() => proc.kill('SIGKILL'), 3000);
        proc.once('exit', () => {
          clearTimeout(k);
          res();
        });
        proc.stdin!.end();
      }),
  };
}

async function cli(args: string[]): Promise<{ out: string; err: string; code: number }> {
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
    isTTY: false,
  };
  process.exitCode = undefined;
  const code = await main(args, io);
  process.exitCode = undefined;
  return { out, err, code };
}

/** Leaked goroutine ids in a debug=2 body, read with plain string operations. */
function leakedIds(text: string): number[] {
  return text
    .split('\n')
    .filter((l) => /^goroutine \d+ .*\(leaked\)\]:$/.test(l))
    .map((l) => Number(l.split(' ')[1]))
    .sort((a, b) => a - b);
}

const go127 = toolchainOrSkip('1.27', 'goroutineleak live capture');

describe.skipIf(!go127)('live capture of goroutineleak from a real Go 1.27 service', () => {
  let srv: Server;
  const svc = new CaptureService({ limits: { connectTimeoutMs: 2000, totalTimeoutMs: 30_000 } });
  beforeAll(async () => {
    srv = await serve(go127!);
  }, 600_000);
  afterAll(async () => {
    await svc.dispose();
    await srv?.close();
  });

  it('the index lists goroutineleak as capturable', async () => {
    const r = await svc.listProfiles(srv.url);
    const row = r.profiles.find((p) => p.name === 'goroutineleak');
    expect(row, JSON.stringify(r.profiles.map((p) => p.name))).toBeDefined();
    expect(row!.capturable).toBe(true);
    expect(row!.href).toBe(`${srv.url}/debug/pprof/goroutineleak?debug=1`);
    expect(row!.description).toMatch(/^Stack traces of all leaked goroutines/);
  });

  it('captures it as proto, debug=1 and debug=2: the same leaked goroutines, and the finding names them', async () => {
    const proto = await svc.capture({ url: srv.url, profile: 'goroutineleak' });
    expect(proto.meta.format).toBe('pprof-gzip');
    expect(proto.meta.fileName).toMatch(/^goroutineleak-\d{8}T\d{6}Z\.pb\.gz$/);
    const p = importProfile(proto.bytes, proto.meta.fileName, { gunzip });
    expect(p.profileKind).toBe('goroutineleak');
    expect(profileSummary(p.profile).totals).toEqual([LEAKED]);

    const text = await svc.capture({ url: srv.url, profile: 'goroutineleak', debug: 1 });
    expect(text.meta.format).toBe('text');
    const t1 = importProfile(text.bytes, text.meta.fileName, { gunzip });
    expect(t1.format).toBe('goroutineleak-debug1');
    expect(new TextDecoder().decode(text.bytes).split('\n')[0]).toBe(`goroutineleak profile: total ${LEAKED}`);

    const dump = await svc.capture({ url: srv.url, profile: 'goroutineleak', debug: 2 });
    const dumpText = new TextDecoder().decode(dump.bytes);
    const ids = leakedIds(dumpText);
    expect(ids.length).toBe(LEAKED);
    const d2 = importProfile(dump.bytes, dump.meta.fileName, { gunzip });
    expect(d2.format).toBe('goroutine-debug2');

    for (const [name, imported] of [
      ['proto', p],
      ['debug1', t1],
      ['debug2', d2],
    ] as const) {
      const r = computeFindings([{ name, kind: 'profile', imported }]);
      const leaked = r.findings.filter((f) => f.kind === 'leaked-goroutines');
      expect(leaked.reduce((a, f) => a + (f.evidence.count as number), 0), name).toBe(LEAKED);
      if (name === 'debug2') expect(leaked.flatMap((f) => f.evidence.goroutineIds as number[]).sort((a, b) => a - b)).toEqual(ids);
    }
    // The index now shows the last check's count.
    const after = await svc.listProfiles(srv.url);
    expect(after.profiles.find((x) => x.name === 'goroutineleak')!.count).toBe(LEAKED);
  });

  it('a delta (seconds=1) is a goroutineleak profile of what leaked in that window: nothing new here', async () => {
    const r = await svc.capture({ url: srv.url, profile: 'goroutineleak', seconds: 1 });
    const p = importProfile(r.bytes, r.meta.fileName, { gunzip });
    expect(p.profileKind).toBe('goroutineleak');
    expect(profileSummary(p.profile).totals).toEqual([0]);
    expect(p.profile.durationNanos).toBeGreaterThan(0n);
  });

  it('a watch captures it every tick', async () => {
    const out = temp('hs-leakwatch-');
    const id = svc.startWatch({ url: srv.url, profiles: [{ profile: 'goroutineleak' }], everyMs: 300, count: 2, outDir: out, series: false }, () => {});
    const snap = await svc.watchFinished(id);
    expect(snap.captures.length).toBe(2);
    for (const c of snap.captures) {
      const p = importProfile(new Uint8Array(readFileSync(c.saved.path)), c.saved.name, { gunzip });
      expect(profileSummary(p.profile).totals).toEqual([LEAKED]);
    }
  });

  it('heapscope capture --list hints at it; --profile goroutineleak --debug 2 saves the dump', async () => {
    const list = await cli(['capture', srv.url, '--list']);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/^ {2}goroutineleak +\d+ +Stack traces of all leaked goroutines/m);
    expect(list.out).toContain(`--profile goroutineleak`);
    const out = temp('hs-leakcli-');
    const r = await cli(['capture', srv.url, '--profile', 'goroutineleak', '--debug', '2', '--out', out]);
    expect(r.code, r.err).toBe(0);
    const files = readdirSync(out);
    expect(files.length).toBe(1);
    expect(files[0]).toMatch(/^goroutineleak-.*-debug2\.txt$/);
    expect(leakedIds(readFileSync(join(out, files[0]!), 'utf8')).length).toBe(LEAKED);
  });
});

const go126 = toolchainOrSkip('1.26', 'goroutineleak absence on Go 1.26 without the experiment');

describe.skipIf(!go126)('a Go 1.26 service built without the experiment', () => {
  let srv: Server;
  const svc = new CaptureService({ limits: { connectTimeoutMs: 2000, totalTimeoutMs: 20_000 } });
  beforeAll(async () => {
    srv = await serve(go126!);
  }, 600_000);
  afterAll(async () => {
    await svc.dispose();
    await srv?.close();
  });

  it('does not list goroutineleak, and a capture says what it takes', async () => {
    const r = await svc.listProfiles(srv.url);
    expect(r.profiles.map((p) => p.name)).not.toContain('goroutineleak');
    expect(r.profiles.map((p) => p.name)).toContain('goroutine');
    const e = await svc.capture({ url: srv.url, profile: 'goroutineleak' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HeapscopeError);
    expect((e as HeapscopeError).code).toBe('NETWORK');
    expect((e as HeapscopeError).message).toMatch(/HTTP 404 .*Go 1\.27 or later, or Go 1\.26 built with GOEXPERIMENT=goroutineleakprofile/);
  });
});
