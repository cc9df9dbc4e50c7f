/**
 * A native modal <dialog> driven by an `open` prop: showModal() when it turns true (then `onOpen`,
 * e.g. to focus the first field), close() when it turns false. Escape (the dialog's cancel event)
 * asks the owner to close instead of closing behind its back, so `open` stays the truth.
 */
import { useEffect, useRef, type SyntheticEvent } from 'react';
import { useLatest } from '../lib/useLatest';

export function useModal(open: boolean, onClose: () => void, onOpen?: (d: HTMLDialogElement) => void) {
  const ref = useRef<HTMLDialogElement>(null);
  const onOpenRef = useLatest(onOpen);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      d.showModal();
      onOpenRef.current?.(d);
    } else if (!open && d.open) d.close();
  }, [open, onOpenRef]);
  const onCancel = (e: SyntheticEvent<HTMLDialogElement>) => {
    e.preventDefault();
    onClose();
  };
  return { ref, onCancel };
}
