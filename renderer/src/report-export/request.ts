/**
 * The Export Report dialog's choices → an `exportReport` request, and what to say about the result.
 * Pure functions of LoadedItem (unit-tested in test/unit/renderer/report-export.test.ts).
 */
import type { ExportReportRequest, ExportReportResult } from '../../../shared/api/contract';
import type { LoadedItem } from '../../../shared/api/types';
import { isGoroutineProfile, seriesKey } from '../compare/pairs';
import { formatBytes } from '../lib/format';

export type SectionKey = 'findings' | 'comparisons' | 'heapDumps' | 'goroutines' | 'gctrace' | 'profiles';

export interface SectionInfo {
  key: SectionKey;
  label: string;
  help: string;
  /** data-testid suffix: export-section-<id>. */
  id: string;
}

/** In the order the report shows them (findings first, then what grows, what keeps it alive…). */
export const SECTIONS: readonly SectionInfo[] = [
  { key: 'findings', id: 'findings', label: 'Findings', help: 'ranked leak findings with their evidence' },
  { key: 'comparisons', id: 'comparisons', label: 'Comparisons', help: 'first → last of each series of profiles of one kind' },
  { key: 'heapDumps', id: 'heapdumps', label: 'Heap dumps', help: 'summary, biggest roots, dominators, paths to roots' },
  { key: 'goroutines', id: 'goroutines', label: 'Goroutines', help: 'by stack and wait reason, growth over snapshots' },
  { key: 'gctrace', id: 'gctrace', label: 'GC traces', help: 'the live heap after each GC of gctrace logs' },
  { key: 'profiles', id: 'profiles', label: 'Profiles', help: 'flame graph and top table per profile' },
];

export type Sections = Record<SectionKey, boolean>;

export const ALL_SECTIONS: Sections = { findings: true, comparisons: true, heapDumps: true, goroutines: true, gctrace: true, profiles: true };

export interface ExportChoices {
  /** null: follow the default title (it changes with the first chosen item). */
  title: string | null;
  /** Items left out (so items opened while the dialog is open are in by default). */
  excluded: ReadonlySet<string>;
  sections: Sections;
  sampleTypes: 'default' | 'all';
}

export const INITIAL_CHOICES: ExportChoices = { title: null, excluded: new Set(), sections: ALL_SECTIONS, sampleTypes: 'default' };

export const TITLE_MAX = 500;

/** "Heapscope report — <first item name>". */
export function defaultTitle(chosen: readonly LoadedItem[]): string {
  return chosen.length ? `Heapscope report — ${chosen[0]!.name}` : 'Heapscope report';
}

/** The items to report on, in the workspace's order. */
export function chosenItems(items: readonly LoadedItem[], excluded: ReadonlySet<string>): LoadedItem[] {
  return items.filter((i) => !excluded.has(i.handle));
}

/** The title that goes in the request: what was typed (trimmed), else the default. */
export function effectiveTitle(choices: ExportChoices, chosen: readonly LoadedItem[]): string {
  const typed = choices.title?.trim() ?? '';
  return (typed || defaultTitle(chosen)).slice(0, TITLE_MAX);
}

/** How many of the chosen items a section draws from (0: the section will have nothing). */
export function sectionCount(key: SectionKey, chosen: readonly LoadedItem[]): number {
  const profiles = chosen.filter((i) => i.kind === 'profile');
  switch (key) {
    case 'findings':
      return chosen.length;
    case 'profiles':
      return profiles.length;
    case 'heapDumps':
      return chosen.filter((i) => i.kind === 'heapdump').length;
    case 'goroutines':
      return chosen.filter((i) => isGoroutineProfile(i) || i.kind === 'heapdump').length;
    case 'gctrace':
      return chosen.filter((i) => i.kind === 'gctrace').length;
    case 'comparisons': {
      // Series of profiles of one kind (2+ each); the report compares first → last of each.
      const fams = new Map<string, number>();
      for (const p of profiles) fams.set(seriesKey(p), (fams.get(seriesKey(p)) ?? 0) + 1);
      return [...fams.values()].filter((n) => n >= 2).reduce((a, n) => a + n, 0);
    }
  }
}

/** Why Export cannot run with these choices, in words; null when it can. */
export function exportProblem(items: readonly LoadedItem[], choices: ExportChoices): string | null {
  if (!items.length) return 'Nothing is open: open a profile, a goroutine dump, a heap dump or a gctrace log first.';
  if (!chosenItems(items, choices.excluded).length) return 'No item is checked: check at least one item to report on.';
  if (!SECTIONS.some((s) => choices.sections[s.key])) return 'No section is checked: check at least one section to include.';
  return null;
}

export function buildRequest(items: readonly LoadedItem[], choices: ExportChoices, destination: 'file' | 'download'): ExportReportRequest {
  const chosen = chosenItems(items, choices.excluded);
  const s = choices.sections;
  return {
    handles: chosen.map((i) => i.handle),
    title: effectiveTitle(choices, chosen),
    include: { findings: s.findings, profiles: s.profiles, comparisons: s.comparisons, heapDumps: s.heapDumps, goroutines: s.goroutines, gctrace: s.gctrace },
    sampleTypes: choices.sampleTypes,
    destination,
  };
}

/** What happened, for the dialog (and the status bar when the dialog was closed meanwhile). */
export type ExportOutcome =
  | { kind: 'saved'; path: string; fileName: string; sizeBytes: number }
  | { kind: 'downloaded'; fileName: string; sizeBytes: number }
  | { kind: 'not-saved' }
  | { kind: 'cancelled' };

export function outcomeOf(r: ExportReportResult, destination: 'file' | 'download', downloadedBytes?: number): ExportOutcome {
  if (destination === 'download') return { kind: 'downloaded', fileName: r.fileName, sizeBytes: downloadedBytes ?? r.sizeBytes };
  if (r.path === null) return { kind: 'not-saved' };
  return { kind: 'saved', path: r.path, fileName: r.fileName, sizeBytes: r.sizeBytes };
}

export function describeOutcome(o: ExportOutcome): string {
  switch (o.kind) {
    case 'saved':
      return `Report saved to ${o.path} (${formatBytes(o.sizeBytes)}).`;
    case 'downloaded':
      return `Download started: ${o.fileName} (${formatBytes(o.sizeBytes)}). Your browser saves it in its downloads folder.`;
    case 'not-saved':
      return 'Not saved: the save dialog was closed without choosing a file.';
    case 'cancelled':
      return 'Export cancelled: nothing was saved.';
  }
}
