/**
 * The Electron menu's view commands (`{type:'menu', command}` server events), for the app shell.
 * 'open-url' is handled by live/useLive and 'export-report' by report-export/useReportExport; App
 * passes handlers for the rest. (The icicle toggle is a button on each flame graph, not a menu item.)
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { MenuCommand } from '../../../shared/api/contract';
import { subscribeServerEvents } from '../api/client';
import type { SelectionView } from '../compare/pairs';
import { useLatest } from '../lib/useLatest';
import { osFamily } from '../lib/platform';

export type MenuHandlers = Partial<Record<MenuCommand, () => void>>;

/** Run the handler of each menu command as it arrives (the latest handlers, no resubscribing). */
export function useMenuCommands(handlers: MenuHandlers): void {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(
    () =>
      subscribeServerEvents((e) => {
        if (e.type === 'menu') ref.current[e.command]?.();
      }),
    [],
  );
}

/**
 * "Compare Selected": null when two items are selected and comparable (show their comparison),
 * else what to tell the user about picking two.
 */
export function compareAdvice(sv: SelectionView, itemCount: number, mac: boolean): string | null {
  const click = mac ? '⌘-click' : 'Ctrl-click';
  if (sv.kind === 'pair') return null;
  if (itemCount < 2) return 'To compare, open two profiles or two heap dumps first (or a goroutine profile and a heap dump).';
  if (sv.kind === 'series') return `A series of ${sv.items.length} is selected. To compare two, click one item, then ${click} a second (or use its ⇄ button).`;
  if (sv.kind === 'single') return `To compare, keep ${sv.item.name} selected and ${click} a second item in the workspace (or use its ⇄ button).`;
  return `To compare, click one item in the workspace, then ${click} a second (or use its ⇄ button).`;
}

export function isMac(): boolean {
  return osFamily(navigator) === 'mac';
}

/**
 * "Search Flame Graph": ask the current view to focus its flame search after the next commit (so a
 * view that mounts in the same update, e.g. leaving the findings panel, is listening). Views take
 * Ctrl/Cmd+F on window (ProfileView, CompareView); the request is that key, and a view that has a
 * search prevents its default. `onNone` runs when no view took it.
 */
export function useSearchFocusRequest(onNone: () => void): () => void {
  const [nonce, setNonce] = useState(0);
  const onNoneRef = useLatest(onNone);
  useEffect(() => {
    if (!nonce) return;
    const ev = new KeyboardEvent('keydown', { key: 'f', code: 'KeyF', ctrlKey: true, bubbles: true, cancelable: true });
    const taken = !window.dispatchEvent(ev);
    if (!taken) onNoneRef.current();
  }, [nonce]);
  return useCallback(() => setNonce((n) => n + 1), []);
}
