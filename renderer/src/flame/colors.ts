/**
 * Flame graph colours: one hue per Go package, so frames of the same package read as one family.
 * Pure functions of the name; the palette depends on the theme.
 */

/**
 * The Go package path of a frame name, for each granularity's naming:
 *   "github.com/x/y/pkg.(*T).Method"  → "github.com/x/y/pkg"
 *   "runtime.mallocgc"                → "runtime"
 *   "sync/atomic.(*Pointer[net/http.x]).Load" → "sync/atomic"   (generic args ignored)
 *   "main.work /src/app/main.go:42"   → "main"                  (lines granularity)
 *   "/usr/lib/go/src/runtime/malloc.go" → "/usr/lib/go/src/runtime" (files granularity)
 */
export function packageOf(name: string): string {
  let s = name;
  const sp = s.indexOf(' ');
  if (sp > 0) s = s.slice(0, sp);
  if (/\.(go|s|c|h)$/.test(s) && !s.includes('(')) {
    const slash = s.lastIndexOf('/');
    return slash > 0 ? s.slice(0, slash) : s;
  }
  const br = s.indexOf('[');
  if (br > 0) s = s.slice(0, br);
  const slash = s.lastIndexOf('/');
  const dot = s.indexOf('.', slash + 1);
  return dot > 0 ? s.slice(0, dot) : s;
}

/** FNV-1a 32-bit. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export interface Palette {
  lightness: number;
  saturation: number;
  highlight: string;
  root: string;
  merged: string;
  /** The same palette washed out, for frames that do not match an active search. */
  dimmed: Palette;
}

function withDimmed(p: Omit<Palette, 'dimmed'>, dim: Partial<Palette>): Palette {
  const base = { ...p } as Palette;
  base.dimmed = { ...base, ...dim };
  base.dimmed.dimmed = base.dimmed;
  return base;
}

export const LIGHT_PALETTE: Palette = withDimmed(
  { lightness: 74, saturation: 62, highlight: '#ff3fb4', root: '#c9ccd3', merged: '#d9d9de' },
  { lightness: 88, saturation: 14 },
);
export const DARK_PALETTE: Palette = withDimmed(
  { lightness: 36, saturation: 48, highlight: '#e0338f', root: '#4a4f5a', merged: '#3a3d45' },
  { lightness: 24, saturation: 10 },
);

const cache = new Map<string, number>();

/** Hue (0-359) for a package; the Go runtime gets a warm band of its own so user code stands out. */
export function hueOfPackage(pkg: string): number {
  let h = cache.get(pkg);
  if (h !== undefined) return h;
  const x = hashString(pkg);
  if (pkg === 'runtime' || pkg.startsWith('runtime/') || pkg.startsWith('internal/')) h = 18 + (x % 22);
  else h = (x % 300) + 50; // 50..349: keep clear of the runtime's orange-red band
  if (cache.size > 20000) cache.clear();
  cache.set(pkg, h);
  return h;
}

export function colorForName(name: string, p: Palette): string {
  const pkg = packageOf(name);
  const x = hashString(name);
  // a little lightness jitter per function inside one package hue
  const l = p.lightness + ((x >>> 8) % 11) - 5;
  return `hsl(${hueOfPackage(pkg)}, ${p.saturation}%, ${l}%)`;
}
