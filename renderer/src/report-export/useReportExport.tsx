/**
 * The Export Report entry points for the app shell: a header button, Ctrl/Cmd+E, and the menu's
 * "Export Report…" command (Electron). One hook, so App only places what it returns.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { ApiClient } from '../../../shared/api/contract';
import type { AppInfo, LoadedItem } from '../../../shared/api/types';
import { subscribeServerEvents } from '../api/client';
import { lazyComponent } from '../lib/lazy';
import { isExportShortcut } from './shortcut';
import { useLatest } from '../lib/useLatest';

/** A lazy chunk (lib/lazy.tsx): the boot bundle has no use for it. */
const ExportReportDialog = lazyComponent(() => import('./ExportReportDialog').then((m) => m.ExportReportDialog));

export interface ReportExport {
  /** Show the dialog (or say in the status bar that nothing is open). */
  open(): void;
  /** "Export report" for the header toolbar. */
  headerButton: ReactNode;
  /** The dialog itself: render it once, anywhere. */
  dialog: ReactNode;
}

const NOTHING_OPEN = 'Nothing to report on yet: open a profile, a goroutine dump or a heap dump first.';

export function useReportExport({
  client,
  items,
  info,
  notify,
}: {
  client: ApiClient;
  items: readonly LoadedItem[] | null;
  info: AppInfo | null;
  notify(text: string): void;
}): ReportExport {
  const [open, setOpen] = useState(false);
  /** Mounted on first use, then kept: an export in flight survives closing the dialog. */
  const [mounted, setMounted] = useState(false);
  const hasItems = !!items?.length;
  const hasItemsRef = useLatest(hasItems);
  const notifyRef = useLatest(notify);

  const show = useCallback(() => {
    if (!hasItemsRef.current) return notifyRef.current(NOTHING_OPEN);
    setMounted(true);
    setOpen(true);
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isExportShortcut(e) || e.repeat) return;
      e.preventDefault();
      show();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [show]);

  useEffect(
    () =>
      subscribeServerEvents((e) => {
        if (e.type === 'menu' && e.command === 'export-report') show();
      }),
    [show],
  );

  const headerButton = hasItems ? (
    <button type="button" className="btn" onClick={show} data-testid="export-report" aria-keyshortcuts="Control+E Meta+E" title="Export a self-contained HTML report (Ctrl+E)">
      Export report
    </button>
  ) : null;

  const dialog = mounted ? (
    <ExportReportDialog
      client={client}
      items={items ?? []}
      destination={info?.canPickFiles ? 'file' : 'download'}
      open={open}
      onClose={() => setOpen(false)}
      notify={notify}
    />
  ) : null;

  return { open: show, headerButton, dialog };
}
