/**
 * `heapscope types DUMP [--exe BINARY] [--top N] [--json]`: which types of object hold the memory.
 * Every object of a Go heap dump named by its Go type from the binary's DWARF (allocation headers,
 * then types propagated from typed roots through the heap); objects typing cannot name are
 * `unknown (size class N)`. JSON: {"types":[{"name","count","bytes","retainedBytes"}],"typedBytesShare"}.
 */
import type { Command } from 'commander';
import { HeapscopeError } from '../../../shared/errors';
import type { CliIO } from '../io';
import { binaryLine, fail, fmtBytes, loadHeapDump, parseCount, table } from './retain';

interface TypesOptions {
  exe?: string;
  top?: number;
  json?: boolean;
}

export function runTypes(io: CliIO, dumpPath: string, opts: TypesOptions): void {
  const { analysis: a, warnings, exe } = loadHeapDump(io, dumpPath, opts.exe);
  const info = a.typesInfo();
  if (!info.available) {
    throw new HeapscopeError({ code: 'UNSUPPORTED', file: dumpPath, format: 'heapdump', message: `object types need the program binary's DWARF: ${info.reason ?? 'none given'}` });
  }
  if (opts.json) {
    io.stdout(JSON.stringify(a.typesJson(opts.top), null, 2) + '\n');
    return;
  }
  const top = opts.top ?? 30;
  const s = a.summary();
  let out = `${dumpPath}: Go ${s.goVersion || '?'} ${s.goarch}, ${s.reachableObjects} reachable objects (${fmtBytes(s.reachableBytes)})\n`;
  for (const w of warnings) out += `warning: ${w}\n`;
  out += binaryLine(exe, opts.exe);
  out += `typed: ${info.typedObjects} objects, ${fmtBytes(info.typedBytes)} (${(info.typedBytesShare * 100).toFixed(1)}% of reachable bytes); ${info.exactObjects} from allocation headers; ${info.conflicts} conflicting hints resolved\n`;
  const rows = a.typeRows();
  out += `\nTypes by retained size (${Math.min(top, rows.length)} of ${rows.length})\n`;
  out += table(
    ['RETAINED', 'BYTES', 'OBJECTS', 'TYPE'],
    rows.slice(0, top).map((r) => [fmtBytes(r.retainedBytes), fmtBytes(r.bytes), String(r.count), r.allocSite ? `${r.name}  ${r.allocSite}` : r.name]),
    [true, true, true, false],
  );
  io.stdout(out);
}

export function registerTypes(program: Command, io: CliIO): void {
  program
    .command('types')
    .description('Objects of a Go heap dump by Go type (from the binary\'s DWARF): count, bytes, retained bytes')
    .argument('<dump>', 'heap dump file')
    .option('--exe <binary>', 'the program binary (ELF, not stripped), whose DWARF names the types')
    .option('--top <n>', 'rows (JSON: limits the types listed; default all)', parseCount('--top'))
    .option('--json', 'machine-readable output')
    .action((dump: string, opts: TypesOptions) => {
      try {
        runTypes(io, dump, opts);
      } catch (e) {
        fail(io, e);
      }
    });
}
