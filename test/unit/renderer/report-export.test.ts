/** The Export Report dialog's pure parts (renderer/src/report-export/request.ts) and the menu's compare advice (app/commands.ts). */
import { describe, expect, it } from 'vitest';
import { compareAdvice } from '../../../renderer/src/app/commands';
import { selectionView } from '../../../renderer/src/compare/pairs';
import {
  ALL_SECTIONS,
  INITIAL_CHOICES,
  SECTIONS,
  TITLE_MAX,
  buildRequest,
  chosenItems,
  defaultTitle,
  describeOutcome,
  effectiveTitle,
  exportProblem,
  outcomeOf,
  sectionCount,
  type ExportChoices,
} from '../../../renderer/src/report-export/request';
import { isExportShortcut } from '../../../renderer/src/report-export/shortcut';
import { gcTraceItem, heapDumpItem, profileItem } from './items';

const heap1 = profileItem('heap-1.pb.gz', 'heap');
const heap2 = profileItem('heap-2.pb.gz', 'heap');
const heap3 = profileItem('heap-3.pb.gz', 'heap');
const gr = profileItem('goroutine.pb.gz', 'goroutine');
const cpu = profileItem('cpu.pb.gz', 'cpu');
const dump = heapDumpItem('heap.dump');
const all = [heap1, heap2, heap3, gr, cpu, dump];

const choices = (patch: Partial<ExportChoices> = {}): ExportChoices => ({ ...INITIAL_CHOICES, ...patch });

describe('the export request', () => {
  it('by default: every item, every section, default sample types, the title of the first item', () => {
    const req = buildRequest(all, INITIAL_CHOICES, 'download');
    expect(req).toEqual({
      handles: all.map((i) => i.handle),
      title: 'Heapscope report — heap-1.pb.gz',
      include: { findings: true, profiles: true, comparisons: true, heapDumps: true, goroutines: true, gctrace: true },
      sampleTypes: 'default',
      destination: 'download',
    });
  });

  it('leaves out unchecked items and sections; the default title follows the first checked item', () => {
    const c = choices({ excluded: new Set([heap1.handle, cpu.handle]), sections: { ...ALL_SECTIONS, goroutines: false }, sampleTypes: 'all' });
    const req = buildRequest(all, c, 'file');
    expect(req.handles).toEqual([heap2.handle, heap3.handle, gr.handle, dump.handle]);
    expect(req.title).toBe('Heapscope report — heap-2.pb.gz');
    expect(req.include).toEqual({ findings: true, profiles: true, comparisons: true, heapDumps: true, goroutines: false, gctrace: true });
    expect(req.sampleTypes).toBe('all');
    expect(req.destination).toBe('file');
  });

  it('takes a typed title (trimmed, capped); an empty one falls back to the default', () => {
    expect(effectiveTitle(choices({ title: '  Week 12  ' }), all)).toBe('Week 12');
    expect(effectiveTitle(choices({ title: '   ' }), all)).toBe('Heapscope report — heap-1.pb.gz');
    expect(effectiveTitle(choices({ title: 'x'.repeat(TITLE_MAX + 20) }), all)).toHaveLength(TITLE_MAX);
    expect(defaultTitle([])).toBe('Heapscope report');
  });

  it('keeps new items in (exclusions, not inclusions) and ignores exclusions of closed items', () => {
    const c = choices({ excluded: new Set(['gone', heap1.handle]) });
    expect(chosenItems(all, c.excluded).map((i) => i.name)).toEqual(['heap-2.pb.gz', 'heap-3.pb.gz', 'goroutine.pb.gz', 'cpu.pb.gz', 'heap.dump']);
    expect(buildRequest(all, c, 'download').handles).not.toContain('gone');
  });
});

describe('why Export is disabled', () => {
  it('says so, in words, for nothing open, no item checked and no section checked', () => {
    expect(exportProblem([], INITIAL_CHOICES)).toMatch(/Nothing is open/);
    expect(exportProblem(all, choices({ excluded: new Set(all.map((i) => i.handle)) }))).toMatch(/No item is checked/);
    const none = Object.fromEntries(SECTIONS.map((s) => [s.key, false])) as ExportChoices['sections'];
    expect(exportProblem(all, choices({ sections: none }))).toMatch(/No section is checked/);
    expect(exportProblem(all, choices({ sections: { ...none, heapDumps: true } }))).toBeNull();
    expect(exportProblem(all, INITIAL_CHOICES)).toBeNull();
  });
});

describe('section counts (a hint when a section would be empty)', () => {
  it('counts what each section draws from', () => {
    expect(sectionCount('findings', all)).toBe(6);
    expect(sectionCount('profiles', all)).toBe(5);
    expect(sectionCount('heapDumps', all)).toBe(1);
    expect(sectionCount('goroutines', all)).toBe(2);
    // Three heap profiles form a series; one goroutine profile and one CPU profile do not.
    expect(sectionCount('comparisons', all)).toBe(3);
    expect(sectionCount('comparisons', [heap1, gr, cpu, dump])).toBe(0);
    expect(sectionCount('gctrace', all)).toBe(0);
    expect(sectionCount('gctrace', [...all, gcTraceItem('gc.log')])).toBe(1);
    // A gctrace log is no profile: never in a comparison of profiles.
    expect(sectionCount('comparisons', [gcTraceItem('a.log'), gcTraceItem('b.log')])).toBe(0);
  });
});

describe('the outcome', () => {
  it('saved (Electron), not saved (save dialog closed), downloaded (browser, the Blob size), cancelled', () => {
    const saved = outcomeOf({ path: '/home/me/report.html', fileName: 'report.html', sizeBytes: 2048 }, 'file');
    expect(saved).toEqual({ kind: 'saved', path: '/home/me/report.html', fileName: 'report.html', sizeBytes: 2048 });
    expect(describeOutcome(saved)).toBe('Report saved to /home/me/report.html (2.00 KiB).');
    const notSaved = outcomeOf({ path: null, fileName: 'report.html', sizeBytes: 0 }, 'file');
    expect(describeOutcome(notSaved)).toMatch(/^Not saved: the save dialog was closed/);
    const down = outcomeOf({ path: null, fileName: 'r.html', sizeBytes: 10, html: '<!doctype html>' }, 'download', 1536);
    expect(down).toEqual({ kind: 'downloaded', fileName: 'r.html', sizeBytes: 1536 });
    expect(describeOutcome(down)).toMatch(/^Download started: r\.html \(1\.50 KiB\)/);
    expect(describeOutcome({ kind: 'cancelled' })).toBe('Export cancelled: nothing was saved.');
  });
});

describe('Ctrl/Cmd+E', () => {
  const key = (k: Partial<KeyboardEvent>) => ({ key: 'e', ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...k });
  it('opens the dialog with Ctrl or Cmd, not with Alt or Shift, not a plain "e"', () => {
    expect(isExportShortcut(key({ ctrlKey: true }))).toBe(true);
    expect(isExportShortcut(key({ metaKey: true, key: 'E' }))).toBe(true);
    expect(isExportShortcut(key({}))).toBe(false);
    expect(isExportShortcut(key({ ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(isExportShortcut(key({ ctrlKey: true, altKey: true }))).toBe(false);
  });
});

describe('menu "Compare Selected"', () => {
  it('shows a comparable pair, else says how to pick two', () => {
    expect(compareAdvice(selectionView([heap1, heap2]), 6, false)).toBeNull();
    expect(compareAdvice(selectionView([gr, dump]), 6, false)).toBeNull();
    expect(compareAdvice(selectionView([heap1]), 6, false)).toBe('To compare, keep heap-1.pb.gz selected and Ctrl-click a second item in the workspace (or use its ⇄ button).');
    expect(compareAdvice(selectionView([heap1]), 6, true)).toMatch(/⌘-click/);
    expect(compareAdvice(selectionView([heap1, heap2, heap3]), 6, false)).toMatch(/^A series of 3 is selected/);
    expect(compareAdvice(selectionView([]), 6, false)).toMatch(/click one item/);
    expect(compareAdvice(selectionView([heap1]), 1, false)).toMatch(/open two profiles or two heap dumps/);
  });
});
