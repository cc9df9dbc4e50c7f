import { describe, expect, it } from 'vitest';
import { formatEta, formatSize, RateMeter, uploadLabel } from '../../../renderer/src/api/upload-progress';

describe('upload progress words', () => {
  it('sizes in decimal units, as browsers show files', () => {
    expect(formatSize(999)).toBe('999 B');
    expect(formatSize(1_100_000_000)).toBe('1.1 GB');
    expect(formatSize(340_000_000)).toBe('340 MB');
  });
  it('time left', () => {
    expect(formatEta(8.2)).toBe('9 s');
    expect(formatEta(125)).toBe('2 min 5 s');
    expect(formatEta(3 * 3600 + 600)).toBe('3 h 10 min');
    expect(formatEta(Infinity)).toBe('');
  });
  it('rate over the recent window, not since the start', () => {
    const m = new RateMeter(1000);
    expect(m.rate()).toBeNull();
    m.add(0, 0);
    m.add(100, 1_000_000);
    expect(m.rate()).toBeNull(); // too short to say
    for (let t = 200; t <= 3000; t += 100) m.add(t, 1_000_000 + (t - 100) * 10_000); // then 10 MB/s
    expect(m.rate()).toBeCloseTo(10_000_000, -3);
  });
  it('label: sent of total, rate, time left', () => {
    expect(uploadLabel('big.dump', 340_000_000, 1_100_000_000, 85_000_000)).toBe('Uploading big.dump: 340 MB of 1.1 GB · 85.0 MB/s · 9 s left');
    expect(uploadLabel('big.dump', 0, 1000, null)).toBe('Uploading big.dump: 0 B of 1.0 kB');
  });
});
