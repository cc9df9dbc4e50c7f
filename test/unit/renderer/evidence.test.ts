/** A finding's evidence as label/value rows in human units (renderer/src/findings/evidence.ts). */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../shared/findings/types';
import { evidenceRows, KIND_LABEL, SEVERITY_RANK, type EvidenceRow } from '../../../renderer/src/findings/evidence';

function finding(kind: Finding['kind'], evidence: Finding['evidence'], extra: Partial<Finding> = {}): Finding {
  return {
    severity: 'high',
    kind,
    title: 'title',
    subject: 'main.leak',
    evidence,
    link: { view: 'series', files: ['a', 'b', 'c'] },
    size: 0,
    sources: [],
    ...extra,
  };
}

function row(rows: EvidenceRow[], key: string): EvidenceRow {
  const r = rows.find((x) => x.key === key);
  if (!r) throw new Error(`no row ${key} in ${rows.map((x) => x.key).join(',')}`);
  return r;
}

describe('evidenceRows: a growing allocation site (bytes)', () => {
  const MiB = 1024 * 1024;
  const f = finding('growing-alloc-site', {
    values: [MiB, 2 * MiB, 4 * MiB],
    snapshots: ['heap-1', 'heap-2', 'heap-3'],
    first: MiB,
    last: 4 * MiB,
    growthBytes: 3 * MiB,
    growthShareOfLast: 0.75,
    slopeBytesPerSnapshot: 1536 * 1024,
    slopeBytesPerSecond: -2048,
    r2: 0.98765,
    monotonic: true,
    increases: 2,
    decreases: 0,
    function: 'main.leak',
  });
  const rows = evidenceRows(f);

  it('keeps the engine order and skips the function the card already names', () => {
    expect(rows.map((r) => r.key)).toEqual([
      'values',
      'snapshots',
      'first',
      'last',
      'growthBytes',
      'growthShareOfLast',
      'slopeBytesPerSnapshot',
      'slopeBytesPerSecond',
      'r2',
      'monotonic',
      'increases',
      'decreases',
    ]);
  });

  it('labels known keys', () => {
    expect(row(rows, 'values').label).toBe('Per snapshot');
    expect(row(rows, 'growthShareOfLast').label).toBe('Growth, share of last total');
    expect(row(rows, 'r2').label).toBe('Linear fit r²');
  });

  it('formats per-snapshot values in bytes, joined by arrows, with the raw series for a sparkline', () => {
    expect(row(rows, 'values')).toEqual({ key: 'values', label: 'Per snapshot', value: '1.00 MiB → 2.00 MiB → 4.00 MiB', series: [MiB, 2 * MiB, 4 * MiB] });
    expect(row(rows, 'snapshots').value).toBe('heap-1 → heap-2 → heap-3');
  });

  it('formats first/last in bytes, growth signed, shares as percentages, slopes per unit', () => {
    expect(row(rows, 'first').value).toBe('1.00 MiB');
    expect(row(rows, 'last').value).toBe('4.00 MiB');
    expect(row(rows, 'growthBytes').value).toBe('+3.00 MiB');
    expect(row(rows, 'growthShareOfLast').value).toBe('75%');
    expect(row(rows, 'slopeBytesPerSnapshot').value).toBe('+1.50 MiB / snapshot');
    expect(row(rows, 'slopeBytesPerSecond').value).toBe('−2.00 KiB/s');
    expect(row(rows, 'r2').value).toBe('0.99');
    expect(row(rows, 'monotonic').value).toBe('yes');
    expect(row(rows, 'increases').value).toBe('2');
  });
});

describe('evidenceRows: units follow the finding', () => {
  it('counts goroutines (no bytes) and labels them', () => {
    const rows = evidenceRows(
      finding('goroutine-pileup', {
        count: 42,
        function: 'main.worker',
        counts: [10, 20, 42],
        growth: 32,
        longestWaitMinutes: 0.4,
        states: ['chan receive: 40', 'select: 2'],
        stack: ['main.worker', 'main.main'],
      }, { subject: 'main.worker' }),
    );
    expect(rows.find((r) => r.key === 'function')).toBeUndefined();
    expect(row(rows, 'count')).toMatchObject({ label: 'Goroutines', value: '42' });
    expect(row(rows, 'counts')).toMatchObject({ value: '10 → 20 → 42', series: [10, 20, 42] });
    expect(row(rows, 'growth').value).toBe('+32');
    expect(row(rows, 'longestWaitMinutes').value).toBe('24 s');
    expect(row(rows, 'states').value).toEqual(['chan receive: 40', 'select: 2']);
    expect(row(rows, 'stack')).toMatchObject({ value: ['main.worker', 'main.main'], mono: true });
    expect(row(rows, 'states').mono).toBe(false);
  });

  it('rounds long waits to minutes', () => {
    const rows = evidenceRows(finding('goroutines-blocked', { longestWaitMinutes: 12.6 }));
    expect(row(rows, 'longestWaitMinutes').value).toBe('13 min');
  });

  it('reads the unit from an explicit sampleType', () => {
    const objects = evidenceRows(finding('growing-alloc-site', { sampleType: 'inuse_objects', first: 12000, last: 25000, growth: 13000 }));
    expect(row(objects, 'first').value).toBe('12.0k');
    expect(row(objects, 'growth').value).toBe('+13.0k');
    const space = evidenceRows(finding('growing-alloc-site', { sampleType: 'inuse_space', first: 2048, growth: 2048 }));
    expect(row(space, 'first').value).toBe('2.00 KiB');
    expect(row(space, 'growth').value).toBe('+2.00 KiB');
  });

  it('shows a zero change with ±', () => {
    expect(row(evidenceRows(finding('growing-root', { growthBytes: 0 })), 'growthBytes').value).toBe('±0 B');
  });
});

describe('evidenceRows: heap findings', () => {
  it('formats bytes, shares below 10% with one decimal, offsets as hex, equal lists compressed', () => {
    const rows = evidenceRows(
      finding('subslice-pinning', {
        arrays: 6,
        arrayBytes: 6 * 65536,
        wastedBytes: 393000,
        wastedShareOfReachable: 0.052,
        pointerOffsets: [16, 16, 16],
        lengthsRead: [65536, 65536, 65536, 65536, 65536, 65536],
        exampleArray: '0xc000123000',
        arraySite: 'main.load (main.go:42)',
      }),
    );
    expect(row(rows, 'arrayBytes').value).toBe('384 KiB');
    expect(row(rows, 'wastedShareOfReachable').value).toBe('5.2%');
    expect(row(rows, 'pointerOffsets')).toMatchObject({ value: '+0x10 × 3', mono: true });
    expect(row(rows, 'lengthsRead').value).toBe('65.5k × 6');
    expect(row(rows, 'exampleArray').mono).toBe(true);
    expect(row(rows, 'arraySite').mono).toBe(true);
  });

  it('lists different numbers in full and marks Go symbols as code, prose not', () => {
    const rows = evidenceRows(
      finding('retained-by-root', {
        retainedBytes: 3 * 1024 * 1024 * 1024,
        shareOfReachable: 1,
        pointerOffsets: [0, 8, 24],
        accumulationPoint: 'main.(*Cache).items',
        holder: 'global main.sessionCache',
        holdsMap: false,
      }),
    );
    expect(row(rows, 'retainedBytes').value).toBe('3.00 GiB');
    expect(row(rows, 'shareOfReachable').value).toBe('100%');
    expect(row(rows, 'pointerOffsets').value).toBe('+0x0, +0x8, +0x18');
    expect(row(rows, 'accumulationPoint').mono).toBe(true);
    expect(row(rows, 'holder').mono).toBe(false);
    expect(row(rows, 'holdsMap').value).toBe('no');
  });

  it('labels unknown keys from camelCase', () => {
    const rows = evidenceRows(finding('http-body-not-closed', { readLoop: 3, someNewKey2Thing: 'x' }));
    expect(row(rows, 'readLoop')).toMatchObject({ label: 'Read loop', value: '3' });
    expect(row(rows, 'someNewKey2Thing').label).toBe('Some new key2 thing');
  });

  it('keeps a function row that says something the card does not', () => {
    const rows = evidenceRows(finding('growing-root', { function: 'main.fill' }, { subject: 'global main.cache', title: 'global main.cache grows' }));
    expect(row(rows, 'function').value).toBe('main.fill');
  });
});

describe('labels', () => {
  it('ranks severities high first and names every kind', () => {
    expect(SEVERITY_RANK.high).toBeLessThan(SEVERITY_RANK.medium);
    expect(SEVERITY_RANK.medium).toBeLessThan(SEVERITY_RANK.low);
    expect(KIND_LABEL['retained-by-root']).toBe('Leak suspect');
    expect(Object.values(KIND_LABEL).every((l) => l.length > 0)).toBe(true);
  });
});
