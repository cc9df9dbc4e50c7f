/**
 * Local date-times for a fresh page's first screen without paying for them in its first task: the
 * first `toLocaleString` of a page loads the locale's date data (16–24 ms on these machines,
 * measured in Chromium), so until the page has formatted one, the hook answers false and formats
 * one once the page is idle; then true, and every later caller formats at once.
 */
import { useEffect, useState } from 'react';
import { whenIdle } from './idle';

let warm = false;
const waiting = new Set<() => void>();
let scheduled = false;

function warmUp(): void {
  if (scheduled) return;
  scheduled = true;
  whenIdle(() => {
    new Date(0).toLocaleString();
    warm = true;
    for (const cb of waiting) cb();
    waiting.clear();
  });
}

/** True once local date-times format cheaply (the caller then shows them). */
export function useLocalTimesReady(): boolean {
  const [ready, setReady] = useState(warm);
  useEffect(() => {
    if (ready) return;
    if (warm) return setReady(true);
    const cb = () => setReady(true);
    waiting.add(cb);
    warmUp();
    return () => {
      waiting.delete(cb);
    };
  }, [ready]);
  return ready;
}
