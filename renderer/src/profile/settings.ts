/**
 * View settings that follow the user from item to item (so heap-1 → heap-2 → heap-3 keep the same
 * sample type, granularity, filters and search: what a leak hunt needs).
 */
import type { Granularity, LoadedItem, ProfileFilters } from '../../../shared/api/types';
import type { FlameSearch } from '../flame/FlameGraph';

export type FrameFilterKind = 'focus' | 'ignore' | 'hide' | 'show';
/** pprof's -tagfocus / -tagignore: on sample labels (pprof.Do labels, goroutine state, wait, bytes). */
export type LabelFilterKind = 'tagfocus' | 'tagignore';
export type FilterKind = FrameFilterKind | LabelFilterKind;
const FRAME_KINDS: FrameFilterKind[] = ['focus', 'ignore', 'hide', 'show'];
export const FILTER_KINDS: FilterKind[] = [...FRAME_KINDS, 'tagfocus', 'tagignore'];

export const FILTER_HELP: Record<FilterKind, string> = {
  focus: 'Keep only samples with a frame matching',
  ignore: 'Drop samples with a frame matching',
  hide: 'Remove matching frames from stacks',
  show: 'Keep only matching frames in stacks',
  tagfocus: 'Keep only samples with a label matching key=regex (e.g. tenant=acme, state=chan receive, wait=600s:)',
  tagignore: 'Drop samples with a label matching key=regex',
};

/** What the bar and the chips call each kind. */
export const FILTER_LABEL: Record<FilterKind, string> = {
  focus: 'focus',
  ignore: 'ignore',
  hide: 'hide',
  show: 'show',
  tagfocus: 'label',
  tagignore: 'not label',
};

export function isLabelFilter(kind: FilterKind): kind is LabelFilterKind {
  return kind === 'tagfocus' || kind === 'tagignore';
}

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
  for (const kind of FRAME_KINDS) {
    const vals = chips.filter((c) => c.kind === kind).map((c) => c.value);
    if (vals.length === 1) out[kind] = vals[0]!;
    else if (vals.length > 1) out[kind] = vals.map((v) => `(?:${v})`).join('|');
  }
  // Label chips stay separate entries: each is one pprof -tagfocus/-tagignore (all must hold).
  const tf = chips.filter((c) => c.kind === 'tagfocus').map((c) => c.value);
  const ti = chips.filter((c) => c.kind === 'tagignore').map((c) => c.value);
  if (tf.length) out.tagFocus = tf;
  if (ti.length) out.tagIgnore = ti;
  return Object.keys(out).length ? out : undefined;
}
