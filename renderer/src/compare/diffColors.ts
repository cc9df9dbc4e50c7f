/**
 * The differential flame graph's colour scale, stated in its legend:
 * - red: the frame grew against the base, blue: it shrank;
 * - saturation ∝ |delta| / base total, full at FULL_AT (20%) of the base total; any change at all
 *   gets at least MIN_T of the colour, so "changed a little" never looks "unchanged";
 * - grey: unchanged (delta 0). Unchanged frames are never tinted, whatever their size.
 * New and gone frames are drawn with the same colour, hatched (SVG patterns, see DiffPatterns).
 * Pure functions; the palette depends on the theme.
 */
import type { Presence } from '../../../shared/compare/types';

export const FULL_AT = 0.2;
export const MIN_T = 0.16;
/** Hatched patterns are quantized to this many steps of intensity. */
export const PATTERN_STEPS = 6;

type Rgb = [number, number, number];

interface DiffPalette {
  neutral: Rgb;
  grew: Rgb;
  shrank: Rgb;
  /** Washed-out versions (a search or a selection is active and the frame is not part of it). */
  dimNeutral: Rgb;
  dimMix: number;
  /** Opacity of the full-colour stripes of new / gone frames. */
  stripe: number;
}

const LIGHT: DiffPalette = { neutral: [205, 209, 216], grew: [226, 62, 52], shrank: [46, 118, 222], dimNeutral: [232, 234, 238], dimMix: 0.72, stripe: 0.7 };
const DARK: DiffPalette = { neutral: [72, 77, 88], grew: [200, 62, 56], shrank: [52, 112, 205], dimNeutral: [44, 47, 54], dimMix: 0.7, stripe: 0.85 };

export function diffPalette(dark: boolean): DiffPalette {
  return dark ? DARK : LIGHT;
}

/** 0 (unchanged) … 1 (|delta| ≥ FULL_AT of the base total); MIN_T at least for any change. */
export function intensity(delta: number, baseTotal: number, eps = 0): number {
  if (!Number.isFinite(delta) || Math.abs(delta) <= eps) return 0;
  const r = baseTotal > 0 ? Math.abs(delta) / baseTotal : 1;
  return MIN_T + (1 - MIN_T) * Math.min(1, r / FULL_AT);
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

function css(c: Rgb): string {
  return `rgb(${Math.round(c[0])}, ${Math.round(c[1])}, ${Math.round(c[2])})`;
}

/** The fill of a frame whose value changed by `delta`; `t` from intensity(). */
export function diffFill(delta: number, t: number, dark: boolean, dimmed = false): string {
  const p = diffPalette(dark);
  const c = t <= 0 ? p.neutral : mix(p.neutral, delta > 0 ? p.grew : p.shrank, t);
  return css(dimmed ? mix(c, p.dimNeutral, p.dimMix) : c);
}

/** The intensity step a hatched (new / gone) frame is drawn with. */
export function patternStep(t: number): number {
  return Math.max(1, Math.min(PATTERN_STEPS, Math.round(t * PATTERN_STEPS)));
}

export function patternId(prefix: string, status: Exclude<Presence, 'both'>, step: number, dimmed: boolean): string {
  return `${prefix}-${status}-${step}${dimmed ? '-dim' : ''}`;
}

/** Every hatched pattern the graph may use: id, base colour (by intensity), stripe colour (the full colour). */
export function patternDefs(prefix: string, dark: boolean): Array<{ id: string; fill: string; stripe: string }> {
  const p = diffPalette(dark);
  const out: Array<{ id: string; fill: string; stripe: string }> = [];
  for (const status of ['new', 'gone'] as const) {
    const full = status === 'new' ? p.grew : p.shrank;
    for (let s = 1; s <= PATTERN_STEPS; s++) {
      const t = s / PATTERN_STEPS;
      const delta = status === 'new' ? 1 : -1;
      for (const dimmed of [false, true]) {
        // Stripes: the full colour pushed away from the background (darker on light, lighter on dark),
        // so they show on a faint frame and on a saturated one alike.
        const edge: Rgb = dark ? mix(full, [255, 255, 255], 0.35) : mix(full, [0, 0, 0], 0.28);
        const c = dimmed ? mix(edge, p.dimNeutral, p.dimMix) : edge;
        out.push({ id: patternId(prefix, status, s, dimmed), fill: diffFill(delta, t, dark, dimmed), stripe: `rgba(${c.map(Math.round).join(', ')}, ${p.stripe})` });
      }
    }
  }
  return out;
}

/** CSS gradient stops for the legend bar: shrank (full) → unchanged → grew (full). */
export function legendStops(dark: boolean): string[] {
  const out: string[] = [];
  for (let i = 0; i <= 8; i++) {
    const x = -1 + i / 4;
    const t = x === 0 ? 0 : MIN_T + (1 - MIN_T) * Math.abs(x);
    out.push(diffFill(x, t, dark));
  }
  return out;
}
