/**
 * The implementation behind `heapscope serve` (and `npm start`'s browser fallback): the analysis
 * host, the API service and the HTTP transport, with the files or the demo opened. Bundled apart
 * from the CLI (dist/serve-app.js) so plain CLI commands don't load the server's dependencies.
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { AnalysisHost } from './analysis-host';
import { ApiService } from './api-service';
import { startHttpServer, type RunningServer } from './http-server';
import { bootPage, BootResources, warmBootPage } from './boot-page';
import { describeError } from '../../shared/errors';
import { demoFiles } from './demo';
import { VERSION } from './version';
import { sweepStaleUploadDirs, UploadStore } from './upload/store';
import type { CliIO } from '../cli/io';

export interface ServeOptions {
  files: string[];
  port?: number;
  demo: boolean;
  open: boolean;
  staticDir?: string;
  /** Largest browser upload accepted, bytes (default 64 GiB). */
  maxUploadBytes?: number;
  /** Where uploads are written while they arrive (default: the OS temp folder). */
  uploadDir?: string;
  /** Source folders for every program (--source-root), besides GOROOT, the module cache and the folders chosen in the page. */
  sourceRoots?: string[];
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
  const uploads = new UploadStore({
    ...(opts.maxUploadBytes !== undefined ? { limitBytes: opts.maxUploadBytes } : {}),
    ...(opts.uploadDir !== undefined ? { dir: opts.uploadDir } : {}),
  });
  // Uploads left by a serve that was killed (SIGKILL, crash) go now.
  sweepStaleUploadDirs(uploads.parentDir);
  const service = new ApiService(host, {
    version: VERSION,
    transport: 'http',
    onEvent: (e) => server?.broadcast(e),
    uploads,
    ...(opts.sourceRoots?.length ? { sourceRoots: opts.sourceRoots } : {}),
  });
  const bootResources = new BootResources();
  server = await startHttpServer({
    handlers: service.handlers,
    staticDir,
    uploadAborted: (id) => uploads.aborted(id),
    // The page arrives with the workspace list and app info inline, and its headers preload the
    // default flame graph (boot-page.ts).
    bootPage: (signal) => bootPage(service.handlers, bootResources, signal),
    bootResource: (path) => bootResources.get(path),
    ...(opts.port !== undefined ? { port: opts.port } : {}),
  });
  const files = opts.files.length ? opts.files : opts.demo ? demoFiles() : [];
  if (files.length) {
    const r = opts.files.length ? await service.openFromOutside(files) : await service.handlers.openDemo({}, { callId: 'startup', signal: new AbortController().signal, progress: () => undefined });
    for (const f of r.failures) io.stderr(`${describeError(f.error)}\n`);
    // The first page's flame graph JSON is made now, not when the page asks (not awaited: the
    // address is printed as soon as the files are open).
    warmBootPage(service.handlers, bootResources).catch(() => undefined);
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
      await service.dispose();
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

