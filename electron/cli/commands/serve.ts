/**
 * `heapscope serve [FILES...]`: the desktop UI in a browser, on 127.0.0.1 with a per-run token.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CliIO } from '../io';

type ServeApp = typeof import('../../services/serve-app');

/** The server side is a separate bundle beside cli.js, loaded only when serving. */
function loadServeApp(): ServeApp {
  return require(join(__dirname, 'serve-app.js')) as ServeApp;
}

/** 1048576, 500K, 20M, 1.5G, 2T (binary units; a trailing B or iB is allowed). */
export function parseSize(v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?$/i.exec(v.trim());
  if (!m) throw new Error(`expected a size like 500M or 20G, got ${v}`);
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Math.floor(Number(m[1]) * mult);
}

/** --source-root DIR (repeatable): an existing folder, kept absolute. */
export function collectSourceRoot(v: string, prev: string[] | undefined): string[] {
  const abs = resolve(v);
  let dir = false;
  try {
    dir = statSync(abs).isDirectory();
  } catch {
    throw new InvalidArgumentError(`no such folder: ${abs}`);
  }
  if (!dir) throw new InvalidArgumentError(`not a folder: ${abs}`);
  return [...(prev ?? []), abs];
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
    .option('--max-upload <size>', 'largest file a browser may upload, e.g. 20G, 500M (default 64G); bigger files open by path', parseSize)
    .option('--upload-dir <dir>', 'where uploads are written while they arrive (default: the system temp folder)')
    .option('--source-root <dir>', 'a folder the Source panel may read sources from, for every program (besides GOROOT, the module cache and folders chosen in the page); repeatable', collectSourceRoot)
    .action(async (files: string[], o: { port?: number; demo: boolean; open?: boolean; maxUpload?: number; uploadDir?: string; sourceRoot?: string[] }) => {
      // Handled from the start: the URL is printed before serve() returns, and a SIGTERM sent on
      // seeing it must still close cleanly (exit 0), not kill the process. Once: a terminal's
      // Ctrl+C reaches a relaunched serve twice (cli/relaunch.ts forwards it too).
      let close: (() => Promise<void>) | null = null;
      let stopping = false;
      const stop = () => {
        if (stopping) return;
        stopping = true;
        if (close) void close().then(() => process.exit(0));
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      const h = await loadServeApp().serve(
        {
          files,
          ...(o.port !== undefined ? { port: o.port } : {}),
          demo: o.demo,
          open: Boolean(o.open),
          ...(o.maxUpload !== undefined ? { maxUploadBytes: o.maxUpload } : {}),
          ...(o.uploadDir !== undefined ? { uploadDir: o.uploadDir } : {}),
          ...(o.sourceRoot?.length ? { sourceRoots: o.sourceRoot } : {}),
        },
        io,
      );
      close = () => h.close();
      if (stopping) void close().then(() => process.exit(0));
    });
}
