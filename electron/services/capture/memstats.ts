/**
 * Numbers for the live growth chart, read from Go's legacy text profiles:
 *  - `heap?debug=1` ends with a `# runtime.MemStats` block of `# Name = value` lines;
 *  - `goroutine?debug=1` starts with `goroutine profile: total N`.
 */
import { HeapscopeError } from '../../../shared/errors';
import type { MemStatsSample } from './types';

const decoder = new TextDecoder('utf-8');

function asText(b: Uint8Array | string): string {
  return typeof b === 'string' ? b : decoder.decode(b);
}

/** The `# runtime.MemStats` block of a heap debug=1 profile. Throws BAD_FORMAT when there is none. */
export function parseMemStats(body: Uint8Array | string): MemStatsSample {
  const text = asText(body);
  const at = text.indexOf('# runtime.MemStats');
  if (at < 0) throw new HeapscopeError({ code: 'BAD_FORMAT', message: 'no "# runtime.MemStats" block in the heap profile', format: 'heap-debug1' });
  const fields: Record<string, number> = {};
  const lines = text.slice(at).split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.startsWith('#')) break;
    // "# HeapAlloc = 466672"; "# Stack = 294912 / 294912" (StackInuse / StackSys); "# PauseNs = [...]" is skipped.
    const m = /^#\s+([A-Za-z][A-Za-z0-9]*)\s*=\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)(?:\s*\/\s*(\d+))?\s*$/.exec(line.trimEnd());
    if (!m) continue;
    if (m[3] === undefined) fields[m[1]!] = Number(m[2]);
    else {
      // "Stack", "MSpan", "MCache" print "inuse / sys": StackInuse and StackSys in MemStats.
      fields[`${m[1]!}Inuse`] = Number(m[2]);
      fields[`${m[1]!}Sys`] = Number(m[3]);
    }
  }
  const need = ['HeapAlloc', 'HeapInuse', 'HeapObjects', 'NumGC'] as const;
  const missing = need.filter((k) => fields[k] === undefined);
  if (missing.length) {
    throw new HeapscopeError({ code: 'BAD_FORMAT', message: `the runtime.MemStats block lacks ${missing.join(', ')}`, format: 'heap-debug1' });
  }
  return { heapAlloc: fields.HeapAlloc!, heapInuse: fields.HeapInuse!, heapObjects: fields.HeapObjects!, numGC: fields.NumGC!, fields };
}

/** N from `goroutine profile: total N`. Throws BAD_FORMAT when the header is missing. */
export function parseGoroutineTotal(body: Uint8Array | string): number {
  const head = asText(typeof body === 'string' ? body.slice(0, 200) : body.subarray(0, 200));
  const m = /^goroutine profile: total (\d+)/.exec(head);
  if (!m) throw new HeapscopeError({ code: 'BAD_FORMAT', message: 'not a goroutine profile (no "goroutine profile: total N" line)', format: 'goroutine-debug1' });
  return Number(m[1]);
}
