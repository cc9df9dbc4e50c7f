/**
 * Issue 13, acceptance 3: faults during a watch of a real Go service (memserver behind a loopback
 * proxy that misbehaves on cue): 500s, an HTML page instead of a profile, a slow answer, then the
 * server killed. Every earlier capture stays byte-identical, and the CLI says what happened, tick
 * by tick; the watch goes on and the summary counts the failed ticks.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import * as http from 'node:http';
import { join } from 'node:path';
import { main } from '../../../electron/cli/main';
import type { CliIO } from '../../../electron/cli/io';
import { cleanupTempDirs, gunzip, snapshotDir, startServer, tempDir } from './helpers';
import { memServerOrSkip, startMemServer } from './memserver';

afterAll(cleanupTempDirs);
afterEach(() => {
  process.exitCode = undefined;
});
const built = memServerOrSkip();

describe.skipIf(built === null)('faults during a watch', () => {
  it('500s, HTML, slow, killed: earlier captures intact, each fault said in one line, the watch goes on', async () => {
    const go = await startMemServer(built!.bin);
    const target = new URL(go.url);
    let tick = 0;
    const mode = () => (tick === 3 ? '500' : tick === 4 ? 'html' : tick === 5 ? 'slow' : 'pass');
    const proxy = await startServer((req, res) => {
      if (req.url?.startsWith('/debug/pprof/goroutine?debug=1')) tick++;
      const m = mode();
      if (m === '500') {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('internal error\n');
        return;
      }
      if (m === 'html') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><html><body>Sign in</body></html>');
        return;
      }
      const forward = () => {
        const up = http.request({ host: target.hostname, port: target.port, path: req.url, method: 'GET' }, (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        });
        up.on('error', () => res.socket?.destroy());
        up.end();
      };
      if (m === 'slow') setTimeout(forward, 2500);
      else forward();
    });
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
    const dir = tempDir();
    let afterTick2: Map<string, string> | null = null;
    let killed = false;
    const watcher = setInterval(() => {
      const m = /into (\S+)\n/.exec(out);
      if (m && !afterTick2 && /^tick 2: live heap/m.test(out)) afterTick2 = new Map([...snapshotDir(m[1]!)].filter(([f]) => f !== 'session.json'));
      if (!killed && /^tick 6: live heap/m.test(out)) {
        killed = true;
        void go.kill();
      }
    }, 20);
    process.exitCode = undefined;
    let code: number;
    try {
      code = await main(['capture', proxy.url, '--every', '300ms', '--count', '8', '--timeout', '1s', '--out', dir], io);
    } finally {
      clearInterval(watcher);
      await proxy.close();
      await go.close();
    }
    const session = /into (\S+)\n/.exec(out)![1]!;
    expect(code).toBe(0); // some ticks worked
    // Each fault, said once per failing request, naming the URL.
    expect(err).toMatch(new RegExp(`^tick 3: heapscope: ${proxy.url}/debug/pprof/goroutine\\?debug=1: HTTP 500 Internal Server Error`, 'm'));
    expect(err).toMatch(new RegExp(`^tick 4: heapscope: ${proxy.url}/debug/pprof/heap\\?gc=1: got an HTML page, not a profile$`, 'm'));
    expect(err).toMatch(/^tick 5: heapscope: .*(timed out|timeout)/m);
    expect(err).toMatch(/^tick [78]: heapscope: .*(connection refused|closed the connection|socket hang up|reset)/m);
    for (const t of [3, 4, 7, 8]) expect(out, `tick ${t}`).toMatch(new RegExp(`^tick ${t}: failed \\(\\d+ errors?; earlier captures are intact\\)$`, 'm'));
    expect(out).toMatch(/^tick 6: live heap/m);
    expect(out).toMatch(/^done: 8 ticks, [45] failed, /m);
    // The captures of ticks 1 and 2 are byte-identical to what they were; no temp files left.
    expect(afterTick2).not.toBeNull();
    const now = snapshotDir(session);
    for (const [f, h] of afterTick2!) expect(now.get(f), f).toBe(h);
    expect([...now.keys()].filter((f) => f.startsWith('.'))).toEqual([]);
    expect([...now.keys()].filter((f) => f.startsWith('heap-')).length).toBeGreaterThanOrEqual(3); // ticks 1, 2, 6
    expect(join(session, 'session.json')).toBeTruthy();
  }, 60_000);
});
