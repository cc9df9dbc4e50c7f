/**
 * The header's "Open path…" (heapscope serve, once the workspace has items): the same
 * OpenPathField as the start screen, in a small modal dialog.
 */
import { useRef } from 'react';
import type { ApiClient } from '../../../shared/api/contract';
import { OpenPathField } from './OpenPathField';

export function OpenPathButton({ client, busy, onOpen }: { client: ApiClient; busy: boolean; onOpen(path: string): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  return (
    <>
      <button
        type="button"
        className="btn"
        onClick={() => dialog.current?.showModal()}
        disabled={busy}
        data-testid="open-path-button"
        aria-label="Open a file on this machine (the server) by its path"
      >
        Open path…
      </button>
      <dialog
        ref={dialog}
        className="open-path-popover"
        aria-label="Open a file on this machine"
        onClick={(e) => {
          if (e.target === dialog.current) dialog.current?.close();
        }}
      >
        <OpenPathField
          client={client}
          busy={busy}
          autoFocus
          onOpen={(p) => {
            dialog.current?.close();
            onOpen(p);
          }}
        />
      </dialog>
    </>
  );
}
