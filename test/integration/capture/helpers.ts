/**
 * Helpers for the live-capture tests: the real Go pprofserver, local fault servers (loopback only),
 * and folder snapshots to prove earlier captures stay byte-identical.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { gunzipSync } from 'node:zlib';
import { expect } from 'vitest';

export const ROOT = resolve(__dirname, '..', '..', '..');
export const PPROFSERVER = join(ROOT, 'test', 'fixtures', 'out', 'pprofserver', 'pprofserver');
export const LEAKYAPP = join(ROOT, 'test', 'fixtures', 'out', 'go1.19', 'leakyapp');
const GO = process.env.GO ?? '/usr/lib/go-1.19/bin/go';

export const gunzip = (b: Uint8Array): Uint8Array => {
  const o = gunzipSync(b);
  return new Uint8Array(o.buffer, o.byteOffset, o.byteLength);
};

const made: string[] = [];

/** A fresh temporary folder, removed by cleanupTempDirs(). */
export function tempDir(prefix = 'hs-capture-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}

export function cleanupTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/**
 * Make sure the pprofserver binary exists (build it with the fixture script when Go is there).
 * Returns null when it exists, else why it cannot (the suite then says so and skips).
 */
export function ensurePprofServer(): string | null {
  if (existsSync(PPROFSERVER)) return null;
  if (!existsSync(GO)) return `no pprofserver binary and no Go toolchain at ${GO} (run test/fixtures/regen.sh --build-only)`;
  // Several test files (in parallel processes) may get here at once: one builds, the others wait.
  const lock = join(tmpdir(), 'heapscope-pprofserver-build.lock');
  try {
    if (Date.now() - statSync(lock).mtimeMs > 600_000) rmSync(lock, { recursive: true, force: true }); // stale
  } catch {
    // no lock
  }
  try {
    mkdirSync(lock);
  } catch {
    const end = Date.now() + 180_000;
    const pause = new Int32Array(new SharedArrayBuffer(4));
    while (existsSync(lock) && Date.now() < end) Atomics.wait(pause, 0, 0, 200);
    return existsSync(PPROFSERVER) ? null : 'another test process was building pprofserver and did not finish';
  }
  try {
    const r = spawnSync('bash', [join(ROOT, 'test', 'fixtures', 'regen.sh'), '--build-only'], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
    if (r.status !== 0 || !existsSync(PPROFSERVER)) return `building pprofserver failed: ${(r.stderr || r.stdout || '').slice(-500)}`;
    return null;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface GoServer {
  url: string;
  proc: ChildProcess;
  close(): Promise<void>;
}

/** Start the Go pprofserver on 127.0.0.1:0; it stops when its stdin closes. */
export async function startPprofServer(args: string[] = []): Promise<GoServer> {
  const proc = spawn(PPROFSERVER, ['-addr', '127.0.0.1:0', '-max', '2m', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const url = await new Promise<string>((res, rej) => {
    let buf = '';
    let err = '';
    const t = setTimeout(() => rej(new Error(`pprofserver printed no address within 10 s (stderr: ${err})`)), 10_000);
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
      rej(new Error(`pprofserver exited with ${code} before listening: ${err}`));
    });
  });
  return {
    url,
    proc,
    close: () =>
      new Promise<void>((res) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return res();
        const t = setTimeout(() => proc.kill('SIGKILL'), 3000);
        proc.once('exit', () => {
          clearTimeout(t);
          res();
        });
        proc.stdin!.end();
      }),
  };
}

export interface LocalServer {
  url: string;
  port: number;
  /** Requests seen, by path and query. */
  requests: string[];
  close(): Promise<void>;
}

/** A node:http server on 127.0.0.1, port 0, with a handler the test writes. */
export async function startServer(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<LocalServer> {
  const sockets = new Set<net.Socket>();
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    handler(req, res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** A loopback port nobody listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export interface UnacceptingServer {
  port: number;
  close(): Promise<void>;
}

/**
 * A loopback listener that never accepts: a worker thread listens with backlog 1 and then blocks
 * its own event loop, so the kernel's accept queue fills (a few connections are parked in it here)
 * and further connection attempts hang in SYN_SENT: a real connect timeout, on 127.0.0.1 only.
 */
export async function startUnacceptingServer(): Promise<UnacceptingServer> {
  const sab = new SharedArrayBuffer(4);
  const worker = new Worker(
    `const { workerData, parentPort } = require('node:worker_threads');
     const net = require('node:net');
     const s = net.createServer();
     s.listen({ host: '127.0.0.1', port: 0, backlog: 1 }, () => {
       parentPort.postMessage(s.address().port);
       Atomics.wait(new Int32Array(workerData), 0, 0, 30000);
       s.close();
       process.exit(0);
     });`,
    { eval: true, workerData: sab },
  );
  const port = await new Promise<number>((r) => worker.once('message', (p: number) => r(p)));
  const parked: net.Socket[] = [];
  // Fill the accept queue: at most 8 attempts, each given 300 ms.
  let full = false;
  for (let i = 0; i < 8 && !full; i++) {
    const ok = await new Promise<boolean>((r) => {
      const s = net.connect(port, '127.0.0.1');
      parked.push(s);
      s.on('error', () => undefined);
      const t = setTimeout(() => r(false), 300);
      s.once('connect', () => {
        clearTimeout(t);
        r(true);
      });
    });
    if (!ok) full = true;
  }
  if (!full) throw new Error('could not fill the accept queue of the unaccepting listener');
  return {
    port,
    close: async () => {
      for (const s of parked) s.destroy();
      const a = new Int32Array(sab);
      Atomics.store(a, 0, 1);
      Atomics.notify(a, 0);
      await new Promise<void>((r) => {
        const t = setTimeout(() => void worker.terminate().then(() => r()), 2000);
        worker.once('exit', () => {
          clearTimeout(t);
          r();
        });
      });
    },
  };
}

/** name → sha256 of every file in a folder (dot-files included: a leftover temp file must show). */
export function snapshotDir(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(dir).sort()) out.set(f, createHash('sha256').update(readFileSync(join(dir, f))).digest('hex'));
  return out;
}

/** The folder holds exactly the files of the snapshot, byte-identical. */
export function expectIntact(dir: string, snap: Map<string, string>): void {
  expect(snapshotDir(dir)).toEqual(snap);
}

export function readBytes(path: string): Uint8Array {
  const b = readFileSync(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** Wait until cond() or fail after ms (polling every 20 ms). */
export async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
