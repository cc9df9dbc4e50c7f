/**
 * Parser for `go tool pprof -top` text output (the committed goldens) and helpers to compare it
 * with Heapscope's top rows.
 */
import { readdirSync } from 'node:fs';

export interface GoldenTop {
  type: string;
  /** "N total" of the header line (raw integer), when the header is present. */
  total: number | null;
  rows: Array<{ name: string; flat: number; cum: number }>;
}

/**
 * Parses a pprof value as printed with -unit=B / -unit=ns ("1024B", "12ns", "10", "-3B").
 * Throws on rounded values ("1.50MB", "0.35s"): goldens must be generated with an exact unit.
 */
export function parsePprofValue(s: string): number {
  if (s === '0') return 0;
  const m = /^(-?\d+)(B|ns|)$/.exec(s);
  if (!m) throw new Error(`pprof value ${JSON.stringify(s)} is not an exact integer: generate goldens with -unit=B (bytes, counts) or -unit=ns (time)`);
  return Number(m[1]);
}

export function parsePprofTop(text: string): GoldenTop {
  const lines = text.split('\n');
  let type = '';
  let total: number | null = null;
  const rows: GoldenTop['rows'] = [];
  let inRows = false;
  for (const line of lines) {
    if (!inRows) {
      const t = /^Type: (.*)$/.exec(line);
      if (t) type = t[1]!;
      const h = /^Showing nodes accounting for (\S+), .* of (\S+) total/.exec(line);
      if (h) total = parsePprofValue(h[2]!);
      if (/^\s+flat\s+flat%\s+sum%\s+cum\s+cum%\s*$/.test(line)) inRows = true;
      continue;
    }
    if (line.trim() === '') continue;
    // "%10s %s %s %10s %s  %s%s": flat flat% sum% cum cum%  name [(inline)|(partial-inline)]
    const m = /^\s*(\S+)\s+(\S+)%\s+(\S+)%\s+(\S+)\s+(\S+)%  (.*)$/.exec(line);
    if (!m) throw new Error(`unparsable pprof row: ${JSON.stringify(line)}`);
    const name = m[6]!.replace(/ \((?:inline|partial-inline)\)$/, '');
    rows.push({ name, flat: parsePprofValue(m[1]!), cum: parsePprofValue(m[4]!) });
  }
  return { type, total, rows };
}

/** Multiset of "name\tflat\tcum" lines, sorted, for order-independent comparison. */
export function rowKeys(rows: Array<{ name: string; flat: number; cum: number }>): string[] {
  return rows.map((r) => `${r.name}\t${r.flat}\t${r.cum}`).sort();
}

/** The `<type>.<granularity>.top.txt` goldens of one `F.golden/` directory, sorted by file name. */
export function goldenFiles(dir: string): Array<{ file: string; type: string; gran: string }> {
  return readdirSync(dir)
    .map((f) => {
      const m = /^(.+)\.(functions|files|lines|addresses)\.top\.txt$/.exec(f);
      return m ? { file: f, type: m[1]!, gran: m[2]! } : null;
    })
    .filter((x): x is { file: string; type: string; gran: string } => x !== null)
    .sort((a, b) => (a.file < b.file ? -1 : 1));
}
