/**
 * The Go memserver (test/fixtures/go/memserver: net/http/pprof + expvar, leaks steadily), built
 * once per source version into the temp folder (Go 1.27 when its toolchain is cached or
 * fetchable, else Debian's 1.19), and started on loopback. Under CI=true a missing Go fails.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers';

const SRC = join(ROOT, 'test', 'fixtures', 'go', 'memserver');
const GO119 = '/usr/lib/go-1.19/bin/go';
const GO = '/usr/local/go/bin/go';

export interface Built {
  bin: string;
  goVersion: string;
}

/** Build memserver; returns the binary, or why it cannot be built. */
export function buildMemServer(): Built | string {
  const hash = createHash('sha256').update(readFileSync(join(SRC, 'main.go'))).digest('hex').slice(0, 12);
  const dir = join(tmpdir(), `heapscope-memserver-${hash}`);
  const tries: Array<{ v: string; cmd: string; env: Record<string, string> }> = [
    { v: 'go1.27', cmd: GO, env: { GOTOOLCHAIN: 'go1.27.3' } },
    { v: 'go1.19', cmd: GO119, env: { GOTOOLCHAIN: 'local' } },
  ];
  for (const t of tries) {
    const bin = join(dir, `memserver-${t.v}`);
    if (existsSync(bin)) return { bin, goVersion: t.v };
  }
  let why = '';
  for (const t of tries) {
    if (!existsSync(t.cmd)) {
      why += `no ${t.cmd}; `;
      continue;
    }
    mkdirSync(dir, { recursive: true });
    const bin = join(dir, `memserver-${t.v}`);
    const tmp = `${bin}.${process.pid}.tmp`;
    const r = spawnSync(t.cmd, ['build', '-o', tmp, '.'], { cwd: SRC, encoding: 'utf8', timeout: 240_000, env: { ...process.env, ...t.env, CGO_ENABLED: '0', GOFLAGS: '-trimpath' } });
    if (r.status === 0 && existsSync(tmp)) {
      renameSync(tmp, bin);
      return { bin, goVersion: t.v };
    }
    rmSync(tmp, { force: true });
    why += `${t.v} build failed: ${(r.stderr || '').slice(-300)}; `;
  }
  return `cannot build test/fixtures/go/memserver: ${why}`;
}

export interface MemServer {
  url: string;
  port: number;
  proc: ChildProcess;
  /** Kill it (SIGKILL): the service dies without a word. */
  kill(): Promise<void>;
  close(): Promise<void>;
}

export async function startMemServer(bin: string, args: string[] = []): Promise<MemServer> {
  const proc = spawn(bin, ['-addr', '127.0.0.1:0', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const url = await new Promise<string>((res, rej) => {
    let buf = '';
    let err = '';
    const t = setTimeout(() => rej(new Error(`memserver printed no address within 10 s (stderr: ${err})`)), 10_000);
    proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    proc.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(buf);
      if (m) {
        clearTimeout(t);
        res(m[1]!);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(t);
      rej(new Error(`memserver exited with ${code} before listening: ${err}`));
    });
  });
  const exited = () => proc.exitCode !== null || proc.signalCode !== null;
  const waitExit = () => new Promise<void>((r) => (exited() ? r() : proc.once('exit', () => r())));
  return {
    url,
    port: Number(new URL(url).port),
    proc,
    kill: async () => {
      if (!exited()) proc.kill('SIGKILL');
      await waitExit();
    },
    close: async () => {
      if (exited()) return;
      const t = setTimeout(() => proc.kill('SIGKILL'), 3000);
      proc.stdin!.end();
      await waitExit();
      clearTimeout(t);
    },
  };
}

/** Skip outside CI, fail under CI=true. */
export function memServerOrSkip(): Built | null {
  const b = buildMemServer();
  if (typeof b === 'string') {
    if (process.env.CI === 'true') throw new Error(b);
    console.warn(`watch integration tests skipped: ${b}`);
    return null;
  }
  return b;
}
