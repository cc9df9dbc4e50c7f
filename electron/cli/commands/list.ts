/**
 * `heapscope list REGEX FILE`: pprof's -list, annotated source of the matching functions with flat
 * and cum per line (the same lines and numbers as `go tool pprof -list`), the source found through
 * the binary's build info, GOROOT, the module cache and --source-root folders.
 *
 * --json: {"sampleType","total","functions":[{"name","file","flat","cum","lines":[{"line","flat","cum","text"}],
 * "source":{recorded,path,via,tried},"error"?}]}; `text` is null when the file was not found.
 * --open: opens the hottest line in $VISUAL/$EDITOR (else `code -g FILE:LINE`).
 */
import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { describeError, toErrorInfo } from '../../../shared/errors';
import { computeList, editorCommand, fillListSource, formatListText } from '../../../shared/source/index';
import { SourceService } from '../../services/source';
import type { CliIO } from '../io';
import { addFilterOptions } from './filter-options';
import { collect, filtersOf, loadForSource, profileSourceReader, type SourceCliOpts } from './source-common';

interface ListOpts extends SourceCliOpts {
  sourceRoot?: string[];
  exe?: string;
  open?: boolean;
}

export function registerList(program: Command, io: CliIO): void {
  addFilterOptions(
  program
    .command('list')
    .description('annotated source of the functions matching REGEX, flat and cum per line, like `go tool pprof -list`')
    .argument('<regex>', 'function names to list (Go regexp, unanchored)')
    .argument('<file>', 'profile: pprof protobuf (gzipped or raw), debug=1 text, or a debug=2 goroutine dump')
    .option('--source-root <dir>', 'a folder to look for sources in (the main module, a checkout); repeatable', collect)
    .option('--exe <binary>', "the program's binary (build info: Go version, modules); default: the profile's main mapping, or a file of that name beside the profile")
    .option('--sample-index <name>', "sample type (name or index); default: the profile's default")
    .option('--unit <unit>', 'output unit like pprof -unit (B, kB, MB, ns, ms, s, ...); default: minimum per value')
    .option('--diff-base <file>', 'per-line differences from this base profile (pprof -diff_base)')
    .option('--open', 'open the hottest line of the first function in $VISUAL / $EDITOR (else `code -g`)')
    .option('--json', 'print one JSON object with every function and line')
  )
    .action(async (regex: string, file: string, opts: ListOpts) => {
      try {
        const imported = await loadForSource(io, file, opts);
        const p = imported.profile;
        const listed = computeList(p, regex, { sampleIndex: opts.sampleIndex, filters: filtersOf(opts) });
        const svc = new SourceService({ roots: opts.sourceRoot ?? [], trustRecordedAbsolute: true });
        const r = fillListSource(listed, profileSourceReader(svc, file, imported.original, opts.exe));
        if (opts.json) {
          io.stdout(JSON.stringify({ sampleType: r.sampleType, total: r.total, functions: r.functions, noSource: r.noSource }) + '\n');
        } else {
          io.stdout(formatListText(r, opts.unit ?? 'minimum'));
        }
        if (opts.open) {
          const f = r.functions.find((x) => x.source?.path);
          if (!f || !f.source?.path) throw new Error('no function with a source file to open');
          let best = f.lines[0]?.line ?? 1;
          let bestV = -1;
          for (const l of f.lines) {
            const v = Math.abs(l.flat) > 0 ? Math.abs(l.flat) : Math.abs(l.cum) / 2;
            if (v > bestV) {
              bestV = v;
              best = l.line;
            }
          }
          const argv = editorCommand(process.env.VISUAL || process.env.EDITOR, f.source.path, best);
          io.stderr(`heapscope: opening ${argv.join(' ')}\n`);
          const child = spawn(argv[0]!, argv.slice(1), { stdio: 'inherit' });
          await new Promise<void>((res) => {
            child.on('error', (e) => {
              io.stderr(`heapscope: could not start ${argv[0]}: ${e.message}\n`);
              process.exitCode = 1;
              res();
            });
            child.on('exit', () => res());
          });
        }
      } catch (e) {
        io.stderr(`heapscope: ${describeError(toErrorInfo(e))}\n`);
        process.exitCode = 1;
      }
    });
}
