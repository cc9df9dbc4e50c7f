/**
 * Chart axes (renderer/src/chart/axes.ts, pure): the watch growth chart's yAxis and the series
 * chart's niceTicks.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { niceTicks, yAxis } from '../../../renderer/src/chart/axes';

const KiB = 1024;
const MiB = 1024 * 1024;

function evenSteps(ticks: number[]): boolean {
  if (ticks.length < 2) return false;
  const step = ticks[1]! - ticks[0]!;
  return ticks.every((t, i) => i === 0 || Math.abs(t - ticks[i - 1]! - step) <= Math.abs(step) * 1e-9);
}

describe('yAxis (growth chart)', () => {
  it('round ticks from 0 for a rising count', () => {
    expect(yAxis([0, 10], false)).toEqual({ lo: 0, hi: 10, ticks: [0, 5, 10] });
    expect(yAxis([7, 12], false)).toEqual({ lo: 5, hi: 15, ticks: [5, 10, 15] });
  });

  it('whole-number steps for counts (goroutines, objects)', () => {
    expect(yAxis([0.2, 0.3], false)).toEqual({ lo: 0, hi: 1, ticks: [0, 1] });
    const a = yAxis([1_000_000_000, 1_000_000_001], false);
    expect(a.ticks.every(Number.isInteger)).toBe(true);
  });

  it('a flat series gets a band around its value, never below 0', () => {
    expect(yAxis([3, 3, 3], false)).toEqual({ lo: 2, hi: 4, ticks: [2, 3, 4] });
    expect(yAxis([0, 0], false)).toEqual({ lo: 0, hi: 1, ticks: [0, 1] });
  });

  it('steps in MiB for heap bytes', () => {
    const a = yAxis([100 * MiB, 150 * MiB], true);
    expect(a.lo).toBeLessThanOrEqual(100 * MiB);
    expect(a.hi).toBeGreaterThanOrEqual(150 * MiB);
    for (const t of a.ticks) expect(t % (MiB / 2)).toBe(0);
    const flat = yAxis([5 * MiB, 5 * MiB], true);
    expect(flat.ticks).toEqual([4.5 * MiB, 5 * MiB, 5.5 * MiB]);
  });

  it('keeps every value inside the axis, with 2 to 8 evenly spaced ticks', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 40 }), { minLength: 1, maxLength: 30 }), fc.boolean(), (values, bytes) => {
        const a = yAxis(values, bytes);
        const min = Math.min(...values);
        const max = Math.max(...values);
        const tol = Math.max(1e-6, max * 1e-12);
        expect(a.lo).toBeLessThanOrEqual(min + tol);
        expect(a.hi).toBeGreaterThanOrEqual(max - tol);
        expect(a.lo).toBeGreaterThanOrEqual(0);
        expect(a.ticks.length).toBeGreaterThanOrEqual(2);
        expect(a.ticks.length).toBeLessThanOrEqual(8);
        expect(a.ticks[0]).toBe(a.lo);
        expect(evenSteps(a.ticks)).toBe(true);
        if (!bytes) expect(a.ticks[1]! - a.ticks[0]!).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 500, seed: 42 },
    );
  });
});

describe('niceTicks (series chart)', () => {
  it('0..max in steps of 1, 2, 2.5 or 5 × 10^n', () => {
    expect(niceTicks(100, 'count')).toEqual([0, 25, 50, 75, 100]);
    expect(niceTicks(7, 'count')).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(1, 'count')).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(niceTicks(101, 'count')).toEqual([0, 50, 100, 150]);
    expect(niceTicks(1e9, 'nanoseconds')).toEqual([0, 2.5e8, 5e8, 7.5e8, 1e9]);
  });

  it('steps in powers of 1024 for bytes', () => {
    expect(niceTicks(3 * MiB, 'bytes')).toEqual([0, MiB, 2 * MiB, 3 * MiB]);
    expect(niceTicks(2 * KiB, 'bytes')).toEqual([0, 512, 1024, 1536, 2048]);
    expect(niceTicks(1000, 'bytes')).toEqual([0, 250, 500, 750, 1000]);
  });

  it('has an axis even with no data', () => {
    expect(niceTicks(0, 'count')).toEqual([0, 1]);
    expect(niceTicks(-5, 'bytes')).toEqual([0, 1]);
    expect(niceTicks(Number.NaN, 'count')).toEqual([0, 1]);
    expect(niceTicks(Number.POSITIVE_INFINITY, 'count')).toEqual([0, 1]);
  });

  it('starts at 0 and reaches max, evenly', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 1e15, noNaN: true }), fc.constantFrom('bytes', 'count', 'nanoseconds'), (max, unit) => {
        const t = niceTicks(max, unit);
        expect(t[0]).toBe(0);
        expect(t.length).toBeGreaterThanOrEqual(2);
        expect(t.length).toBeLessThanOrEqual(12);
        expect(t[t.length - 1]!).toBeGreaterThanOrEqual(max * (1 - 1e-9));
        expect(evenSteps(t)).toBe(true);
      }),
      { numRuns: 500, seed: 7 },
    );
  });
});
