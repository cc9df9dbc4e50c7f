/** The GC trace view's words (renderer/src/gctrace/GcTraceView.tsx): times and the summary line. */
import { describe, expect, it } from 'vitest';
import { gcTraceSummary } from '../../../renderer/src/gctrace/GcTraceView';
import { formatElapsed } from '../../../renderer/src/lib/format';
import { parseGcTrace } from '../../../shared/compare';

describe('GC trace view words', () => {
  it('times in the unit that tells them apart', () => {
    expect([0, 0.004, 0.1234, 4.55, 45.2, 125, 3725].map(formatElapsed)).toEqual(['0 ms', '4 ms', '123 ms', '4.5 s', '45 s', '2 min 5 s', '1 h 2 min']);
  });

  it('the summary: cycles, span, live heap first → last, goal, leak-checking cycles', () => {
    const t = parseGcTrace(
      'gc 1 @0.010s 1%: 0+0+0 ms clock, 0+0/0/0+0 ms cpu, 4->5->3 MB, 6 MB goal, 0 MB stacks, 0 MB globals, 4 P\n' +
        'gc 2 @75.500s 1% (checking for goroutine leaks): 0+0+0 ms clock, 0+0/0/0+0 ms cpu, 8->9->7 MB, 14 MB goal, 0 MB stacks, 0 MB globals, 4 P\n',
    );
    expect(gcTraceSummary(t)).toBe('2 GCs (gc 1–2) over 1 min 15 s · live heap after GC 3.00 MiB → 7.00 MiB · next goal 14.0 MiB · 1 cycle checking for goroutine leaks');
    expect(gcTraceSummary(parseGcTrace('nothing here'))).toBe('No GC cycle could be read.');
  });
});
