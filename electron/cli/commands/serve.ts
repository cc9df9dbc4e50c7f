/**
 * `heapscope serve [FILES...]`: the desktop UI in a browser, on 127.0.0.1 with a per-run token.
 */
import type { Command } from 'commander';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { AnalysisHost } from '../../services/analysis-host';
import { ApiService } from '../../services/api-service';
import { startHttpServer, type RunningServer } from '../../services/http-server';
import { describeError } from '../../../shared/errors';
import { demoFiles } from '../../services/demo';
import { VERSION } from '../../services/version';
import type { CliIO } from '../io';

export interface ServeOptions {
  files: string[];
  port?: number;
  demo: boolean;
  open: boolean;
  staticDir?: string;
}

export interface ServeHandle {
  server: RunningServer;
  service: ApiService;
  host: AnalysisHost;
  close(): Promise<void>;
}

export function rendererDir(): string {
  return join(__dirname, 'renderer');
}

export async function serve(opts: ServeOptions, io: CliIO): Promise<ServeHandle> {
  const staticDir = opts.staticDir ?? rendererDir();
  if (!existsSync(join(staticDir, 'index.html'))) {
    io.stderr(`heapscope serve: the UI bundle is missing at ${staticDir} (run \`npm run build\`)\n`);
  }
  const host = new AnalysisHost();
  let server: RunningServer | null = null;
  const service = new ApiService(host, {
    version: VERSION,
    transport: 'http',
    onOpened: (r) => server?.broadcastOpen(r),
  });
  server = await startHttpServer({ handlers: service.handlers, staticDir, ...(opts.port !== undefined ? { port: opts.port } : {}) });
  const files = opts.files.length ? opts.files : opts.demo ? demoFiles() : [];
  if (files.length) {
    const r = opts.files.length ? await service.openFromOutside(files) : await service.handlers.openDemo({}, { callId: 'startup', signal: new AbortController().signal, progress: () => undefined });
    for (const f of r.failures) io.stderr(`${describeError(f.error)}\n`);
  }
  io.stdout(`Heapscope ${VERSION} is serving on ${server.url}\n`);
  io.stdout(`Open that URL in a browser (it carries this run's token). Ctrl+C stops.\n`);
  if (opts.open) openInBrowser(server.url);
  const s = server;
  return {
    server: s,
    service,
    host,
    close: async () => {
      await s.close();
      await host.close();
    },
  };
}

export function openInBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '', url] : [url];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No browser launcher: the URL is printed above.
  }
}

export function registerServe(program: Command, io: CliIO): void {
  program
    .command('serve')
    .description('serve the Heapscope UI to a browser on 127.0.0.1 (with a per-run token); opens FILES, or the demo investigation when none are given')
    .argument('[files...]', 'profiles or heap dumps to open')
    .option('-p, --port <n>', 'port to listen on (default: a free port)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--port must be 0-65535, got ${v}`);
      return n;
    })
    .option('--no-demo', 'start empty instead of opening the demo investigation')
    .option('--open', 'open the URL in the default browser')
    .action(async (files: string[], o: { port?: number; demo: boolean; open?: boolean }) => {
      const h = await serve({ files, ...(o.port !== undefined ? { port: o.port } : {}), demo: o.demo, open: Boolean(o.open) }, io);
      const stop = () => {
        void h.close().then(() => process.exit(0));
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
}
