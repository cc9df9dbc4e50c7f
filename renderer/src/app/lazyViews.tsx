/**
 * The views a first screen does not show, split out of the boot bundle: each is its own chunk,
 * fetched when first rendered (and prefetched once the page is idle, so a later click rarely waits).
 * The boot bundle keeps the shell, the workspace list and the profile view (top table + flame
 * graph), the first screen of every workspace that holds a profile.
 *
 * Each export is a drop-in for the view of the same name (same props), rendered inside a Suspense
 * boundary whose fallback is the panel's "Loading…" placeholder.
 */
import { lazy, Suspense, type ComponentType, type JSX } from 'react';

const loaders = {
  compare: () => import('../compare/CompareView'),
  heapCompare: () => import('../compare/HeapCompareView'),
  heap: () => import('../heap/HeapView'),
  memory: () => import('../memory/MemoryView'),
  series: () => import('../series/SeriesView'),
};

function Loading(): JSX.Element {
  return (
    <div className="panel__empty panel__empty--page" data-testid="view-loading">
      <span className="text-muted">Loading…</span>
    </div>
  );
}

// P: the props of the view the wrapper stands for.
function lazyView<P extends object>(load: () => Promise<ComponentType<P>>): (props: P) => JSX.Element {
  const View = lazy(async () => ({ default: await load() }));
  return function LazyView(props: P): JSX.Element {
    return (
      <Suspense fallback={<Loading />}>
        <View {...props} />
      </Suspense>
    );
  };
}

export const CompareView = lazyView(() => loaders.compare().then((m) => m.CompareView));
export const HeapCompareView = lazyView(() => loaders.heapCompare().then((m) => m.HeapCompareView));
export const GoroutinePairView = lazyView(() => loaders.heapCompare().then((m) => m.GoroutinePairView));
export const HeapView = lazyView(() => loaders.heap().then((m) => m.HeapView));
export const MemoryView = lazyView(() => loaders.memory().then((m) => m.MemoryView));
export const SeriesView = lazyView(() => loaders.series().then((m) => m.SeriesView));

let prefetched = false;
/** Fetches every split view once the page has been idle for a while (no-op after the first call). */
export function prefetchViews(delayMs = 1500): void {
  if (prefetched || typeof window === 'undefined') return;
  prefetched = true;
  const run = (): void => {
    for (const load of Object.values(loaders)) void load().catch(() => undefined);
  };
  window.setTimeout(() => {
    const ric = (window as { requestIdleCallback?: (cb: () => void) => number }).requestIdleCallback;
    if (ric) ric(run);
    else run();
  }, delayMs);
}
