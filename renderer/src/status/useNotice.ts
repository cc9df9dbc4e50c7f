/**
 * A short message for the status bar (e.g. why a menu command did nothing, where a report went).
 * The newest one wins; it clears itself after a while.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

export interface Notice {
  text: string;
  /** Changes with every message, so the same text said twice is announced twice. */
  id: number;
}

export function useNotice(showForMs = 10_000): { notice: Notice | null; show(text: string): void; clear(): void } {
  const [notice, setNotice] = useState<Notice | null>(null);
  const next = useRef(1);
  const show = useCallback((text: string) => setNotice({ text, id: next.current++ }), []);
  const clear = useCallback(() => setNotice(null), []);
  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => setNotice((n) => (n?.id === notice.id ? null : n)), showForMs);
    return () => clearTimeout(t);
  }, [notice, showForMs]);
  return { notice, show, clear };
}
