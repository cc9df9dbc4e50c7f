/**
 * Work a first screen does not need (prefetching chunks, asking for state nothing shows yet), run
 * once the page is idle: after `delayMs`, in an idle period (or at most `timeoutMs` later). Returns
 * a cancel function.
 */
type IdleWindow = { requestIdleCallback?: (cb: () => void, o?: { timeout: number }) => number; cancelIdleCallback?: (h: number) => void };

export function whenIdle(cb: () => void, delayMs = 0, timeoutMs = 1000): () => void {
  if (typeof window === 'undefined') {
    cb();
    return () => undefined;
  }
  const w = window as unknown as IdleWindow;
  let idle = 0;
  const timer = window.setTimeout(() => {
    if (w.requestIdleCallback) idle = w.requestIdleCallback(cb, { timeout: timeoutMs });
    else cb();
  }, delayMs);
  return () => {
    window.clearTimeout(timer);
    if (idle) w.cancelIdleCallback?.(idle);
  };
}
