/**
 * `heapscope serve [FILES...]`: the desktop UI in a browser, on 127.0.0.1 with a per-run token.
 */
import type { Command } from 'commander';
import { join } from 'node:path';
import type { CliIO } from '../io';

type ServeApp = typeof import('../../services/serve-app');

/** The server side is a separate bundle beside cli.js, loaded only when serving. */
function loadServeApp(): ServeApp {
  return require(join(__dirname, 'serve-app.js')) as ServeApp;
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
      const h = await loadServeApp().serve({ files, ...(o.port !== undefined ? { port: o.port } : {}), demo: o.demo, open: Boolean(o.open) }, io);
      const stop = () => {
        void h.close().then(() => process.exit(0));
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
}
