/**
 * `heapscope paths DUMP --object 0xADDR [--exe BINARY] [--k N] [--json]`: why is this object still
 * alive? The shortest reference chains from GC roots to it, each from a different root.
 */
import type { Command } from 'commander';
import type { CliIO } from '../io';
import { binaryLine, fail, fmtBytes, loadHeapDump, parseCount } from './retain';

interface PathsOptions {
  object: string;
  exe?: string;
  k?: number;
  json?: boolean;
}

export function runPaths(io: CliIO, dumpPath: string, opts: PathsOptions): void {
  const { analysis: a, warnings, exe } = loadHeapDump(io, dumpPath, opts.exe);
  const k = opts.k ?? 5;
  if (opts.json) {
    io.stdout(JSON.stringify(a.pathsJson(opts.object, k), null, 2) + '\n');
    return;
  }
  const r = a.pathsToRoots(opts.object, k);
  let out = '';
  for (const w of warnings) out += `warning: ${w}\n`;
  out += binaryLine(exe, opts.exe);
  const d = a.objectDetails(r.target, 0, 0);
  out += `object ${d.address}${d.type ? ` (${d.type})` : ''}: ${fmtBytes(d.size)}, retains ${fmtBytes(d.retainedBytes)} (${d.retainedObjects} object${d.retainedObjects === 1 ? '' : 's'})${d.allocSite ? `, allocated at ${d.allocSite}` : ''}\n`;
  if (!r.reachable) {
    out += 'no GC root reaches it: it is garbage left in the dump (allocated or dropped since the last GC)\n';
    io.stdout(out);
    return;
  }
  out += `${r.paths.length} path${r.paths.length === 1 ? '' : 's'} from GC roots${r.more ? ` (more roots reach it; --k ${k * 2} shows more)` : ''}:\n`;
  r.paths.forEach((p, i) => {
    out += `\n#${i + 1} (${p.length - 1} hop${p.length === 2 ? '' : 's'})\n`;
    p.forEach((st, k) => {
      if (st.root) {
        out += `  ${st.root.kind}: ${st.root.name}\n`;
        return;
      }
      const interior = st.interiorOffset ? ` (interior pointer +0x${st.interiorOffset.toString(16)})` : '';
      const typed = st.type ? ` ${st.type}` : '';
      // Out of a root, `via` already names the variable (as the app's paths panel shows it).
      const field = st.field && !p[k - 1]?.root ? ` ${st.field}` : '';
      out += `    └ via ${st.via ?? '?'}${field} → ${st.address}${typed} ${fmtBytes(st.size ?? 0)}${interior}${st.allocSite ? `  ${st.allocSite}` : ''}\n`;
    });
  });
  io.stdout(out);
}

export function registerPaths(program: Command, io: CliIO): void {
  program
    .command('paths')
    .description('Paths from GC roots to an object of a Go heap dump: why is it still alive?')
    .argument('<dump>', 'heap dump file')
    .requiredOption('--object <address>', 'object address (0x…); an interior address picks the object containing it')
    .option('--exe <binary>', 'the program binary (ELF), to name globals')
    .option('--k <n>', 'at most this many paths, each from a different root (default 5)', parseCount('--k'))
    .option('--json', 'machine-readable output')
    .action((dump: string, opts: PathsOptions) => {
      try {
        runPaths(io, dump, opts);
      } catch (e) {
        fail(io, e);
      }
    });
}
