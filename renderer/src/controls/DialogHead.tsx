/**
 * The head of a modal dialog: its title (the dialog's aria-labelledby target), anything the dialog
 * puts beside it (tabs), and the × that closes it. `block` names the dialog's CSS block
 * (`<block>__head`, `<block>__title`).
 */
import type { ReactNode } from 'react';

export function DialogHead({ block, titleId, title, onClose, closeTestId, children }: { block: string; titleId: string; title: ReactNode; onClose(): void; closeTestId: string; children?: ReactNode }) {
  return (
    <header className={`${block}__head`}>
      <h2 id={titleId} className={`${block}__title`}>
        {title}
      </h2>
      {children}
      <div className="toolbar-spacer" />
      <button type="button" className="icon-button" onClick={onClose} aria-label="Close" data-testid={closeTestId}>
        ×
      </button>
    </header>
  );
}
