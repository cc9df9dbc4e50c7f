/**
 * pprof's percentages below 1% are Go's %.2g, which rounds ties to even on the exact value of the
 * double; JavaScript's toPrecision rounds them up. Expected strings are what Go 1.26 prints for
 * fmt.Sprintf("%.2g", v / total * 100) (a fresh clone's go1.27 peek golden showed 0.12% where
 * Heapscope printed 0.13%).
 */
import { expect, it } from 'vitest';
import { percentage } from '../../../shared/profile/analysis/units';

it('rounds ties to even below 1%, like Go', () => {
  expect(percentage(4, 3200).trim()).toBe('0.12%');
  expect(percentage(2, 3200).trim()).toBe('0.062%');
  expect(percentage(3, 3200).trim()).toBe('0.094%');
  expect(percentage(1, 1000).trim()).toBe('0.1%');
  expect(percentage(995, 100000).trim()).toBe('1%'); // 0.9950000000000001: rounds up in Go too
});
