/**
 * Components kept out of the boot bundle: each is its own chunk, fetched when first rendered, and
 * prefetched with every other one once the page has been idle for a while (`prefetchLazy`), so a
 * later click rarely waits. The boot bundle is what a fresh page must compile before its first
 * flame graph; a view or dialog that first screen does not show belongs here.
 *
 * A wrapper takes the same props as the component it stands for and renders it inside a Suspense
 * boundary with the given fallback (a view's "Loading…" panel; nothing for a dialog).
 */
import { lazy, Suspense, type ComponentType, type JSX, type ReactNode } from 'react';
import { whenIdle } from './idle';

const loaders: Array<() => Promise<unknown>> = [];

/** `load` called once, whoever asks first (a render or the idle prefetch). */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | null = null;
  return () => (p ??= load());
}

/** A lazy component: renders the real one once its chunk is here; `preload` fetches the chunk now. */
export interface LazyComponent<P> {
  (props: P): JSX.Element;
  preload(): void;
}

// P: the props of the component the wrapper stands for.
export function lazyComponent<P extends object>(load: () => Promise<ComponentType<P>>, fallback: ReactNode = null): LazyComponent<P> {
  const get = once(load);
  loaders.push(get);
  const Inner = lazy(async () => ({ default: await get() }));
  function Lazy(props: P): JSX.Element {
    return (
      <Suspense fallback={fallback}>
        <Inner {...props} />
      </Suspense>
    );
  }
  return Object.assign(Lazy, { preload: () => void get().catch(() => undefined) });
}

let prefetched = false;
/** Fetches every lazy component's chunk once the page has been idle for a while (no-op after the first call). */
export function prefetchLazy(delayMs = 1500): void {
  if (prefetched || typeof window === 'undefined') return;
  prefetched = true;
  whenIdle(() => {
    for (const get of loaders) void get().catch(() => undefined);
  }, delayMs);
}
