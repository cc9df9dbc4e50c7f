/**
 * View settings that follow the user from item to item (so heap-1 → heap-2 → heap-3 keep the same
 * sample type, granularity, filters and search: what a leak hunt needs).
 */
import type { Granularity, LoadedItem, ProfileFilters } from '../../../shared/api/types';
import type { FlameSearch } from '../flame/FlameGraph';

export type FilterKind = 'focus' | 'ignore' | 'hide' | 'show';
export const FILTER_KINDS: FilterKind[] = ['focus', 'ignore', 'hide', 'show'];

export const FILTER_HELP: Record<FilterKind, string> = {
  focus: 'Keep only samples with a frame matching',
  ignore: 'Drop samples with a frame matching',
  hide: 'Remove matching frames from stacks',
  show: 'Keep only matching frames in stacks',
};

export interface FilterChip {
  kind: FilterKind;
  value: string;
}

export interface ViewSettings {
  /** Sample type by name; an item without it opens on its own default. */
  sampleType: string | null;
  granularity: Granularity;
  filters: FilterChip[];
  search: FlameSearch;
}

export const DEFAULT_SETTINGS: ViewSettings = {
  sampleType: null,
  granularity: 'functions',
  filters: [],
  search: { text: '', mode: 'substring' },
};

export function sampleIndexFor(item: LoadedItem, s: ViewSettings): number {
  if (s.sampleType) {
    const i = item.sampleTypes.findIndex((t) => t.type === s.sampleType);
    if (i >= 0) return i;
  }
  const d = item.defaultSampleIndex;
  return d >= 0 && d < item.sampleTypes.length ? d : Math.max(0, item.sampleTypes.length - 1);
}

/** Chips → pprof filters; several chips of one kind are OR-ed as one regex. */
export function toProfileFilters(chips: FilterChip[]): ProfileFilters | undefined {
  const out: ProfileFilters = {};
  for (const kind of FILTER_KINDS) {
    const vals = chips.filter((c) => c.kind === kind).map((c) => c.value);
    if (vals.length === 1) out[kind] = vals[0]!;
    else if (vals.length > 1) out[kind] = vals.map((v) => `(?:${v})`).join('|');
  }
  return Object.keys(out).length ? out : undefined;
}
