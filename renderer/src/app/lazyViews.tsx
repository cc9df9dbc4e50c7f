/**
 * The views a first screen does not show, split out of the boot bundle (lib/lazy.tsx): each is its
 * own chunk, fetched when first rendered and prefetched once the page is idle. The boot bundle
 * keeps the shell, the workspace list and the profile view (top table + flame graph), the first
 * screen of every workspace that holds a profile.
 *
 * Each export is a drop-in for the view of the same name (same props), shown as the panel's
 * "Loading…" placeholder until its chunk has arrived.
 */
import type { JSX } from 'react';
import { lazyComponent } from '../lib/lazy';

function Loading(): JSX.Element {
  return (
    <div className="panel__empty panel__empty--page" data-testid="view-loading">
      <span className="text-muted">Loading…</span>
    </div>
  );
}

const view = <P extends object>(load: Parameters<typeof lazyComponent<P>>[0]) => lazyComponent<P>(load, <Loading />);

export const CompareView = view(() => import('../compare/CompareView').then((m) => m.CompareView));
export const HeapCompareView = view(() => import('../compare/HeapCompareView').then((m) => m.HeapCompareView));
export const GoroutinePairView = view(() => import('../compare/HeapCompareView').then((m) => m.GoroutinePairView));
export const HeapView = view(() => import('../heap/HeapView').then((m) => m.HeapView));
export const MemoryView = view(() => import('../memory/MemoryView').then((m) => m.MemoryView));
export const SeriesView = view(() => import('../series/SeriesView').then((m) => m.SeriesView));
export const GcTraceView = view(() => import('../gctrace/GcTraceView').then((m) => m.GcTraceView));
export const FindingsPanel = view(() => import('../findings/FindingsPanel').then((m) => m.FindingsPanel));
