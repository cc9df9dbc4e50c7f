/** Human units (renderer/src/lib/format.ts). */
import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatDurationNs, formatPercent, formatSize, formatTimeNanos, formatValue, formatNumber, plural, sampleTypeLabel } from '../../../renderer/src/lib/format';

describe('formatBytes', () => {
  it('prints bytes below 1 KiB as whole bytes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1)).toBe('1 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(512.6)).toBe('513 B');
  });

  it('prints exact powers of 1024 in their unit', () => {
    expect(formatBytes(1024)).toBe('1.00 KiB');
    expect(formatBytes(1024 ** 2)).toBe('1.00 MiB');
    expect(formatBytes(1024 ** 3)).toBe('1.00 GiB');
    expect(formatBytes(1024 ** 4)).toBe('1.00 TiB');
    expect(formatBytes(1024 ** 5)).toBe('1.00 PiB');
  });

  it('stays in PiB above it', () => {
    expect(formatBytes(1024 ** 6)).toBe('1024 PiB');
  });

  it('keeps about three significant digits', () => {
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(10 * 1024 + 512)).toBe('10.5 KiB');
    expect(formatBytes(123 * 1024 * 1024)).toBe('123 MiB');
    expect(formatBytes(1234567)).toBe('1.18 MiB');
  });

  it('formats negatives (diff deltas) symmetrically', () => {
    expect(formatBytes(-1)).toBe('-1 B');
    expect(formatBytes(-1023)).toBe('-1023 B');
    expect(formatBytes(-1024)).toBe('-1.00 KiB');
    expect(formatBytes(-1536)).toBe('-1.50 KiB');
    expect(formatBytes(-(1024 ** 3))).toBe('-1.00 GiB');
    expect(formatBytes(-150 * 1024 * 1024)).toBe('-150 MiB');
  });

  it('passes non-finite values through', () => {
    expect(formatBytes(Number.NaN)).toBe('NaN');
    expect(formatBytes(Number.POSITIVE_INFINITY)).toBe('Infinity');
    expect(formatBytes(Number.NEGATIVE_INFINITY)).toBe('-Infinity');
  });

  it('formatSize is formatBytes', () => {
    expect(formatSize(2048)).toBe('2.00 KiB');
  });

  // BUG (minor, found by this test): a value just under the next power rounds up inside the lower
  // unit: 1 MiB − 1 B is 1023.999 KiB, printed "1024 KiB" instead of "1.00 MiB". Same class of glitch
  // in formatCount (999 999 → "1000k") and formatDurationNs (999 999 ns → "1000 µs"). Flip to `it` once fixed.
  it('never prints 1024 of a unit', () => {
    expect(formatBytes(1024 ** 2 - 1)).toBe('1.00 MiB');
    expect(formatBytes(1024 ** 3 - 1)).toBe('1.00 GiB');
  });
});

describe('formatDurationNs', () => {
  it('picks ns, µs, ms, s, min, h', () => {
    expect(formatDurationNs(0)).toBe('0 ns');
    expect(formatDurationNs(999)).toBe('999 ns');
    expect(formatDurationNs(1500)).toBe('1.50 µs');
    expect(formatDurationNs(25e6)).toBe('25.0 ms');
    expect(formatDurationNs(2.5e9)).toBe('2.50 s');
    expect(formatDurationNs(90e9)).toBe('1.5 min');
    expect(formatDurationNs(3600e9)).toBe('1.0 h');
    expect(formatDurationNs(-1500)).toBe('-1.50 µs');
  });
});

describe('formatCount', () => {
  it('prints small integers exactly and fractions with one decimal', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(9999)).toBe('9999');
    expect(formatCount(2.25)).toBe('2.3');
    expect(formatCount(-42)).toBe('-42');
  });

  it('abbreviates k, M, G', () => {
    expect(formatCount(10_000)).toBe('10.0k');
    expect(formatCount(123_456)).toBe('123k');
    expect(formatCount(1_500_000)).toBe('1.50M');
    expect(formatCount(2.5e9)).toBe('2.50G');
    expect(formatCount(-20_000)).toBe('-20.0k');
  });
});

describe('formatValue', () => {
  it('uses the sample type unit', () => {
    expect(formatValue(1024, 'bytes')).toBe('1.00 KiB');
    expect(formatValue(1024, 'Bytes')).toBe('1.00 KiB');
    expect(formatValue(1500, 'nanoseconds')).toBe('1.50 µs');
    expect(formatValue(90, 'seconds')).toBe('1.5 min');
    expect(formatValue(2, 'ms')).toBe('2.00 ms');
    expect(formatValue(12_345, 'count')).toBe('12.3k');
    expect(formatValue(7, 'objects')).toBe('7');
    expect(formatValue(7, '')).toBe('7');
    expect(formatValue(5, 'widgets')).toBe('5 widgets');
  });
});

describe('formatPercent', () => {
  it('two decimals, 0%, 100%, tiny and no total', () => {
    expect(formatPercent(1, 3)).toBe('33.33%');
    expect(formatPercent(0, 5)).toBe('0%');
    expect(formatPercent(5, 5)).toBe('100%');
    expect(formatPercent(99.996, 100)).toBe('100%');
    expect(formatPercent(1, 1e6)).toBe('<0.01%');
    expect(formatPercent(-1, 1e6)).toBe('<0.01%');
    expect(formatPercent(-1, 4)).toBe('-25.00%');
    expect(formatPercent(1, 0)).toBe('–');
  });
});

describe('labels', () => {
  it('sampleTypeLabel', () => {
    expect(sampleTypeLabel({ type: 'inuse_space', unit: 'bytes' })).toBe('inuse_space (bytes)');
    expect(sampleTypeLabel({ type: 'samples', unit: '' })).toBe('samples');
  });

  it('plural', () => {
    expect(plural(1, 'frame')).toBe('1 frame');
    expect(plural(0, 'frame')).toBe('0 frames');
    expect(plural(2, 'child', 'children')).toBe('2 children');
  });

  it('formatTimeNanos: empty when absent or not after the epoch', () => {
    expect(formatTimeNanos(undefined)).toBe('');
    expect(formatTimeNanos('')).toBe('');
    expect(formatTimeNanos('0')).toBe('');
    expect(formatTimeNanos('999999')).toBe('');
    const ns = '1700000000123456789';
    expect(formatTimeNanos(ns)).toBe(new Date(1700000000123).toLocaleString());
  });
});

describe('formatNumber', () => {
  const en = new Intl.NumberFormat('en-US');
  it('prints what Intl.NumberFormat("en-US") prints (the oracle), for integers and fractions of every size', () => {
    // a fixed-seed generator (xorshift): the same 20k values on every run
    let x = 0x9e3779b9;
    const rnd = () => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) / 2 ** 32;
    };
    const values = [0, 1, 9, 10, 999, 1000, 1001, 999_999, 1_000_000, 2 ** 31, 2 ** 53, 2 ** 53 + 2, 1e15, 1e20, 1e21, 1.5e22, 2 ** 80, Number.MAX_VALUE, 0.5, 0.001, 999.9996, 1234.5678, -1, -1234, -0.5, -1e21];
    for (let i = 0; i < 20_000; i++) {
      const mag = 10 ** Math.floor(rnd() * 24);
      const v = rnd() * mag * (rnd() < 0.2 ? -1 : 1);
      values.push(v, Math.round(v));
    }
    const bad: string[] = [];
    for (const v of values) {
      if (v < 0 && v > -0.0005) continue; // rounds to zero: Intl prints "-0" for negatives (below)
      if (Object.is(v, -0)) continue;
      if (formatNumber(v) !== en.format(v)) bad.push(`${v}: ${formatNumber(v)} vs ${en.format(v)}`);
    }
    expect(bad.slice(0, 10)).toEqual([]);
  });
  it('never prints a negative zero, and passes non-finite values through', () => {
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(-0.0001)).toBe('0');
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe(en.format(Number.POSITIVE_INFINITY));
    expect(formatNumber(Number.NEGATIVE_INFINITY)).toBe(en.format(Number.NEGATIVE_INFINITY));
    expect(formatNumber(Number.NaN)).toBe(en.format(Number.NaN));
  });
  it('groups a count the same way whatever the locale', () => {
    expect(formatNumber(430_112)).toBe('430,112');
    expect(plural(1234, 'frame')).toBe('1,234 frames');
  });
});
