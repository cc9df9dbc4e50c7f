/** View settings that follow the user from item to item (renderer/src/profile/settings.ts). */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, sampleIndexFor, toProfileFilters, type ViewSettings } from '../../../renderer/src/profile/settings';
import { profileItem } from './items';

const heap = profileItem('heap.pb.gz', 'heap', {
  sampleTypes: [
    { type: 'alloc_objects', unit: 'count' },
    { type: 'alloc_space', unit: 'bytes' },
    { type: 'inuse_objects', unit: 'count' },
    { type: 'inuse_space', unit: 'bytes' },
  ],
  defaultSampleIndex: 3,
});
const withType = (sampleType: string | null): ViewSettings => ({ ...DEFAULT_SETTINGS, sampleType });

describe('sampleIndexFor', () => {
  it('keeps the sample type chosen on another item, by name', () => {
    expect(sampleIndexFor(heap, withType('alloc_space'))).toBe(1);
    expect(sampleIndexFor(heap, withType('inuse_objects'))).toBe(2);
  });

  it("falls back to the item's default when it lacks that type", () => {
    expect(sampleIndexFor(heap, withType('samples'))).toBe(3);
    expect(sampleIndexFor(heap, withType(null))).toBe(3);
  });

  it('uses the last type when the default is out of range (pprof rule)', () => {
    expect(sampleIndexFor({ ...heap, defaultSampleIndex: -1 }, DEFAULT_SETTINGS)).toBe(3);
    expect(sampleIndexFor({ ...heap, defaultSampleIndex: 9 }, DEFAULT_SETTINGS)).toBe(3);
    expect(sampleIndexFor({ ...heap, sampleTypes: [], defaultSampleIndex: -1 }, DEFAULT_SETTINGS)).toBe(0);
  });
});

describe('toProfileFilters', () => {
  it('is undefined without chips', () => {
    expect(toProfileFilters([])).toBeUndefined();
  });

  it('passes one chip of a kind through', () => {
    expect(toProfileFilters([{ kind: 'focus', value: 'main\\.leak' }, { kind: 'hide', value: 'runtime' }])).toEqual({ focus: 'main\\.leak', hide: 'runtime' });
  });

  it('ORs several chips of one kind as one regex, each grouped', () => {
    const f = toProfileFilters([
      { kind: 'ignore', value: 'a|b' },
      { kind: 'focus', value: 'x' },
      { kind: 'ignore', value: 'c' },
    ])!;
    expect(f).toEqual({ focus: 'x', ignore: '(?:a|b)|(?:c)' });
    const re = new RegExp(f.ignore!);
    expect(['a', 'b', 'c'].every((s) => re.test(s))).toBe(true);
    expect(re.test('d')).toBe(false);
  });
});

describe('label filter chips (pprof -tagfocus / -tagignore)', () => {
  it('become one tagFocus / tagIgnore entry each, beside the frame filters', () => {
    expect(
      toProfileFilters([
        { kind: 'focus', value: 'main\\.' },
        { kind: 'tagfocus', value: 'tenant=acme corp' },
        { kind: 'tagfocus', value: 'state=select' },
        { kind: 'tagignore', value: 'handler=/health' },
      ]),
    ).toEqual({ focus: 'main\\.', tagFocus: ['tenant=acme corp', 'state=select'], tagIgnore: ['handler=/health'] });
    expect(toProfileFilters([{ kind: 'tagfocus', value: 'k=v' }])).toEqual({ tagFocus: ['k=v'] });
  });
});
