/**
 * The differential flame graph's colour scale (renderer/src/compare/diffColors.ts), as the legend
 * states it: grey when unchanged (whatever the size), red grew / blue shrank, saturation ∝
 * |delta| / base total, full at FULL_AT, at least MIN_T for any change; hatched new/gone patterns.
 */
import { describe, expect, it } from 'vitest';
import { diffFill, diffPalette, FULL_AT, intensity, legendStops, MIN_T, PATTERN_STEPS, patternDefs, patternId, patternStep } from '../../../renderer/src/compare/diffColors';

type Rgb = [number, number, number];

function parseRgb(s: string): Rgb {
  const m = /^rgb\((\d+), (\d+), (\d+)\)$/.exec(s);
  if (!m) throw new Error(`not rgb(): ${s}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}
const css = (c: Rgb) => `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
const dist = (a: Rgb, b: Rgb) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

describe('intensity', () => {
  it('is 0 for an unchanged frame, whatever the base total', () => {
    expect(intensity(0, 1000)).toBe(0);
    expect(intensity(0, 0)).toBe(0);
    expect(intensity(-0, 1e12)).toBe(0);
  });

  it('is 0 within eps (float noise of -normalize)', () => {
    expect(intensity(0.4, 1000, 0.5)).toBe(0);
    expect(intensity(-0.5, 1000, 0.5)).toBe(0);
    expect(intensity(0.6, 1000, 0.5)).toBeGreaterThan(0);
  });

  it('is 0 for non-finite deltas', () => {
    expect(intensity(Number.NaN, 1000)).toBe(0);
    expect(intensity(Number.POSITIVE_INFINITY, 1000)).toBe(0);
  });

  it('gives any change at least MIN_T', () => {
    expect(intensity(1, 1e12)).toBeCloseTo(MIN_T, 6);
    expect(intensity(-1, 1e12)).toBeCloseTo(MIN_T, 6);
  });

  it('grows linearly with |delta| / base total and is full at FULL_AT', () => {
    const base = 1000;
    // half of FULL_AT → half way between MIN_T and 1
    expect(intensity(base * FULL_AT * 0.5, base)).toBeCloseTo(MIN_T + (1 - MIN_T) * 0.5, 10);
    expect(intensity(base * FULL_AT, base)).toBe(1);
    const a = intensity(10, base);
    const b = intensity(50, base);
    const c = intensity(150, base);
    expect(a).toBeLessThan(b);
    expect(b).toBeLessThan(c);
  });

  it('caps at 1 beyond FULL_AT', () => {
    expect(intensity(1000 * FULL_AT * 3, 1000)).toBe(1);
    expect(intensity(1e9, 1000)).toBe(1);
  });

  it('is symmetric in the sign of delta', () => {
    for (const d of [1, 7, 33, 200, 5000]) expect(intensity(-d, 1000)).toBe(intensity(d, 1000));
  });

  it('is full when there is no base total (everything is new)', () => {
    expect(intensity(5, 0)).toBe(1);
    expect(intensity(-5, -3)).toBe(1);
  });
});

describe('diffFill', () => {
  for (const dark of [false, true]) {
    const p = diffPalette(dark);
    describe(dark ? 'dark' : 'light', () => {
      it('paints an unchanged frame neutral grey, never red, whatever its size', () => {
        for (const base of [1, 1000, 1e12]) {
          const t = intensity(0, base);
          expect(diffFill(0, t, dark)).toBe(css(p.neutral));
        }
        // even if a caller passes a positive delta with t = 0 (within eps), it stays grey
        expect(diffFill(5, 0, dark)).toBe(css(p.neutral));
      });

      it('is the full red / blue at t = 1', () => {
        expect(diffFill(10, 1, dark)).toBe(css(p.grew));
        expect(diffFill(-10, 1, dark)).toBe(css(p.shrank));
      });

      it('is reddish for growth and bluish for shrinkage', () => {
        const [r1, , b1] = parseRgb(diffFill(1, 0.5, dark));
        const [r2, , b2] = parseRgb(diffFill(-1, 0.5, dark));
        expect(r1).toBeGreaterThan(b1);
        expect(b2).toBeGreaterThan(r2);
      });

      it('moves further from grey as intensity grows', () => {
        const base = 1000;
        let prev = 0;
        for (const d of [1, 20, 60, 120, 200]) {
          const c = parseRgb(diffFill(d, intensity(d, base), dark));
          const far = dist(c, p.neutral);
          expect(far).toBeGreaterThan(prev);
          prev = far;
        }
        // and stops moving at FULL_AT
        expect(diffFill(400, intensity(400, base), dark)).toBe(diffFill(200, intensity(200, base), dark));
      });

      it('shows a light tint (not grey) for the smallest change', () => {
        const c = parseRgb(diffFill(1, intensity(1, 1e12), dark));
        expect(dist(c, p.neutral)).toBeGreaterThan(10);
      });

      it('washes a dimmed frame out towards the dim neutral', () => {
        const full = parseRgb(diffFill(10, 1, dark));
        const dim = parseRgb(diffFill(10, 1, dark, true));
        expect(dist(dim, p.dimNeutral)).toBeLessThan(dist(full, p.dimNeutral));
        expect(diffFill(0, 0, dark, true)).not.toBe(diffFill(0, 0, dark, false));
      });
    });
  }

  it('uses a different palette in dark mode', () => {
    expect(diffFill(0, 0, true)).not.toBe(diffFill(0, 0, false));
    expect(diffFill(0, 0, false)).toBe('rgb(205, 209, 216)');
    expect(diffFill(1, 1, false)).toBe('rgb(226, 62, 52)');
    expect(diffFill(-1, 1, false)).toBe('rgb(46, 118, 222)');
  });
});

describe('patterns for new / gone frames', () => {
  it('quantizes intensity to 1..PATTERN_STEPS', () => {
    expect(PATTERN_STEPS).toBe(6);
    expect(patternStep(0)).toBe(1);
    expect(patternStep(MIN_T)).toBe(1);
    expect(patternStep(0.5)).toBe(3);
    expect(patternStep(1)).toBe(6);
    expect(patternStep(7)).toBe(6);
  });

  it('names patterns by prefix, status, step and dimming', () => {
    expect(patternId('d1', 'new', 3, false)).toBe('d1-new-3');
    expect(patternId('d1', 'gone', 6, true)).toBe('d1-gone-6-dim');
  });

  it('defines every pattern the graph can reference, once each', () => {
    const defs = patternDefs('p', false);
    expect(defs).toHaveLength(2 * PATTERN_STEPS * 2);
    const ids = new Set(defs.map((d) => d.id));
    expect(ids.size).toBe(defs.length);
    for (const status of ['new', 'gone'] as const)
      for (let s = 1; s <= PATTERN_STEPS; s++)
        for (const dim of [false, true]) {
          const t = s / PATTERN_STEPS;
          // whatever intensity the graph computes, the step it asks for exists
          expect(ids.has(patternId('p', status, patternStep(t), dim))).toBe(true);
        }
  });

  it('fills new frames red and gone frames blue, full at the top step', () => {
    const defs = patternDefs('p', false);
    const pal = diffPalette(false);
    const byId = new Map(defs.map((d) => [d.id, d]));
    expect(byId.get('p-new-6')!.fill).toBe(css(pal.grew));
    expect(byId.get('p-gone-6')!.fill).toBe(css(pal.shrank));
    const [r, , b] = parseRgb(byId.get('p-new-1')!.fill);
    expect(r).toBeGreaterThan(b);
    expect(byId.get('p-new-1')!.fill).not.toBe(css(pal.neutral));
    for (const d of defs) expect(d.stripe).toMatch(/^rgba\(\d+, \d+, \d+, 0\.\d+\)$/);
  });
});

describe('legendStops', () => {
  it('runs full blue → grey → full red in nine stops', () => {
    for (const dark of [false, true]) {
      const p = diffPalette(dark);
      const stops = legendStops(dark);
      expect(stops).toHaveLength(9);
      expect(stops[0]).toBe(css(p.shrank));
      expect(stops[4]).toBe(css(p.neutral));
      expect(stops[8]).toBe(css(p.grew));
      // symmetric distance from grey
      expect(dist(parseRgb(stops[3]!), p.neutral)).toBeGreaterThan(0);
      expect(dist(parseRgb(stops[5]!), p.neutral)).toBeGreaterThan(0);
    }
  });
});
