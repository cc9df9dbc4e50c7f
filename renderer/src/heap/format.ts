/** Small formatting helpers for the heap dump view. Pure; no DOM. */
import type { RootKind } from '../../../shared/heap/types';
import { formatBytes } from '../lib/format';

export const ROOT_KIND_LABEL: Record<RootKind, string> = {
  global: 'global',
  runtime: 'runtime',
  goroutine: 'goroutine',
  finalizer: 'finalizer',
  'pending-finalizer': 'pending finalizer',
  other: 'other',
};

export const ROOT_KIND_HELP: Record<RootKind, string> = {
  global: 'A package-level variable (data/bss)',
  runtime: "The Go runtime's own globals, grouped",
  goroutine: "A goroutine's stack: every frame's live pointers",
  finalizer: 'A finalizer keeps what its object points to (and its closure) alive',
  'pending-finalizer': 'A queued finalizer keeps its object alive until it runs',
  other: 'Another kind of root',
};

/** "+0x20" */
export function offsetLabel(n: number): string {
  return `${n < 0 ? '-' : '+'}0x${Math.abs(n).toString(16)}`;
}

/** "131072 B (128 KiB)": exact bytes first, the human form after when it differs. */
export function exactBytes(n: number): string {
  const human = formatBytes(n);
  return n < 1024 ? `${n} B` : `${n} B (${human})`;
}

export function basename(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i >= 0 ? path.slice(i + 1) : path;
}

/** Hex string ("00ff…") → bytes; stops at the first pair that is not hex. */
export function hexToBytes(hex: string): Uint8Array {
  const n = Math.floor(hex.length / 2);
  const out = new Uint8Array(n);
  let i = 0;
  for (; i < n; i++) {
    const v = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    if (Number.isNaN(v)) break;
    out[i] = v;
  }
  return i === n ? out : out.slice(0, i);
}

/** A printable ASCII character for a byte, "." otherwise. */
export function asciiOf(b: number): string {
  return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
}

/** Duration from a decimal string of nanoseconds. */
export function formatNsString(ns: string | undefined): string | null {
  if (!ns) return null;
  const v = Number(ns);
  if (!Number.isFinite(v)) return null;
  if (v < 1e3) return `${v} ns`;
  if (v < 1e6) return `${(v / 1e3).toFixed(1)} µs`;
  if (v < 1e9) return `${(v / 1e6).toFixed(1)} ms`;
  if (v < 120e9) return `${(v / 1e9).toFixed(1)} s`;
  if (v < 7200e9) return `${(v / 60e9).toFixed(1)} min`;
  return `${(v / 3600e9).toFixed(1)} h`;
}

/** Parse what a user typed as an object reference: "0x…" address (or bare hex) or a node id "#123". */
export function parseObjectRef(text: string): string | number | null {
  const t = text.trim();
  if (/^#\d+$/.test(t)) return Number(t.slice(1));
  if (/^0x[0-9a-f]+$/i.test(t)) return t.toLowerCase();
  if (/^[0-9a-f]{6,16}$/i.test(t)) return `0x${t.toLowerCase()}`;
  return null;
}
