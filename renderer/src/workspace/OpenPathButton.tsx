/**
 * The header's "Open path…" (heapscope serve, once the workspace has items): the same
 * OpenPathField as the start screen, in a small modal dialog.
 *
 * The field is mounted only while the dialog is open: its focus on mount would otherwise run in the
 * page's first commit, on an input the closed dialog hides, forcing a layout of the whole page
 * (~30 ms of a fresh page's boot) for nothing.
 */
import { useLayoutEffect, useRef, useState } from 'react';
import type { ApiClient } from '../../../shared/api/contract';
import { OpenPathField } from './OpenPathField';

export function OpenPathButton({ client, busy, onOpen }: { client: ApiClient; busy: boolean; onOpen(path: string): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  // Shown before the field mounts, so the field's focus lands on a visible input.
  useLayoutEffect(() => {
    const d = dialog.current;
    if (open && d && !d.open) d.showModal();
  }, [open]);
  return (
    <>
      <button type="button" className="btn" onClick={() => setOpen(true)} disabled={busy} data-testid="open-path-button" aria-label="Open a file on this machine (the server) by its path">
        Open path…
      </button>
      <dialog
        ref={dialog}
        className="open-path-popover"
        aria-label="Open a file on this machine"
        onClose={() => setOpen(false)}
        onClick={(e) => {
          if (e.target === dialog.current) dialog.current?.close();
        }}
      >
        {open ? (
          <OpenPathField
            client={client}
            busy={busy}
            autoFocus
            onOpen={(p) => {
              dialog.current?.close();
              onOpen(p);
            }}
          />
        ) : null}
      </dialog>
    </>
  );
}
