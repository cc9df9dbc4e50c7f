/**
 * Export Report: a modal dialog that chooses what goes into the self-contained HTML report (title,
 * items, sections, sample types) and asks the host for it (`exportReport`). In Electron the host
 * shows its save dialog (destination 'file'); in a browser the HTML comes back and is downloaded.
 *
 * Stays mounted once opened: closing it never cancels an export in flight (the status bar keeps its
 * progress and Cancel, and says where the report went). Item names are shown as text only.
 */
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import type { ApiClient } from '../../../shared/api/contract';
import type { LoadedItem, Progress } from '../../../shared/api/types';
import { describeError, HeapscopeError, toErrorInfo, type ErrorInfo } from '../../../shared/errors';
import { useModal } from '../controls/useModal';
import { isCancellation, useApiCall } from '../status/tasks';
import { downloadHtml } from './download';
import { ExportChoicesFields } from './ExportChoices';
import { ExportStatus } from './ExportStatus';
import {
  INITIAL_CHOICES,
  TITLE_MAX,
  buildRequest,
  chosenItems,
  defaultTitle,
  describeOutcome,
  exportProblem,
  outcomeOf,
  type ExportChoices,
  type ExportOutcome,
} from './request';
import { useLatest } from '../lib/useLatest';
import './export.css';
import { DialogHead } from '../controls/DialogHead';

export interface ExportReportDialogProps {
  client: ApiClient;
  items: readonly LoadedItem[];
  /** 'file': the host's save dialog (Electron); 'download': the page downloads the HTML (browser). */
  destination: 'file' | 'download';
  open: boolean;
  onClose(): void;
  /** Said in the status bar when an export ends while the dialog is closed. */
  notify(text: string): void;
}

const FOCUSABLE = 'button, input, select, textarea, a[href], [tabindex]:not([tabindex="-1"])';

/** Keep Tab and Shift+Tab inside the dialog (the page behind is inert, the browser's UI is not). */
function trapTab(e: ReactKeyboardEvent<HTMLDialogElement>) {
  if (e.key !== 'Tab') return;
  const d = e.currentTarget;
  const els = [...d.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.matches(':disabled') && el.tabIndex >= 0 && el.getClientRects().length > 0);
  if (!els.length) return;
  const first = els[0]!;
  const last = els[els.length - 1]!;
  const active = document.activeElement;
  if (e.shiftKey && (active === first || !d.contains(active))) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && (active === last || !d.contains(active))) {
    e.preventDefault();
    first.focus();
  }
}

export function ExportReportDialog({ client, items, destination, open, onClose, notify }: ExportReportDialogProps) {
  const id = useId();
  const titleRef = useRef<HTMLInputElement>(null);
  const [choices, setChoices] = useState<ExportChoices>(INITIAL_CHOICES);
  const call = useApiCall();
  const [progress, setProgress] = useState<Progress | null>(null);
  const [outcome, setOutcome] = useState<ExportOutcome | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const runSeq = useRef(0);
  const openRef = useLatest(open);
  const busyRef = useLatest(call.busy);
  const notifyRef = useLatest(notify);
  const { ref, onCancel } = useModal(open, onClose, () => {
    // A fresh dialog, unless an export is still running (its progress and Cancel are here).
    if (!busyRef.current) {
      setOutcome(null);
      call.clearError();
    }
    titleRef.current?.focus();
    titleRef.current?.select();
  });

  // Exclusions of items closed meanwhile are simply ignored (handles are never reused).
  const chosen = useMemo(() => chosenItems(items, choices.excluded), [items, choices.excluded]);
  const problem = exportProblem(items, choices);
  const titleDefault = defaultTitle(chosen);
  const change = (patch: Partial<ExportChoices>) => setChoices((c) => ({ ...c, ...patch }));

  const exportNow = () => {
    if (problem || call.busy) return;
    const req = buildRequest(items, choices, destination);
    const mine = ++runSeq.current;
    let failure: ErrorInfo | null = null;
    setOutcome(null);
    setProgress(null);
    setCancelling(false);
    const label = req.handles!.length === 1 ? `Exporting a report of ${chosen[0]!.name}` : `Exporting a report of ${req.handles!.length} items`;
    void call
      .run(label, async (o) => {
        try {
          const r = await client.exportReport(req, {
            ...o,
            onProgress: (p) => {
              o.onProgress?.(p);
              if (mine === runSeq.current) setProgress(p);
            },
          });
          if (destination === 'download' && r.html === undefined) throw new HeapscopeError({ code: 'INTERNAL', message: 'the host sent no report to download' });
          return r;
        } catch (e) {
          if (!isCancellation(e)) failure = toErrorInfo(e);
          throw e;
        }
      })
      .then((r) => {
        if (mine !== runSeq.current) return;
        setProgress(null);
        setCancelling(false);
        let o: ExportOutcome;
        if (!r) {
          // call.error says why, in the dialog; the status bar too if it was closed meanwhile.
          const f = failure as ErrorInfo | null;
          if (f) {
            if (!openRef.current) notifyRef.current(`Could not export the report: ${describeError(f)}`);
            return;
          }
          o = { kind: 'cancelled' };
        } else if (destination === 'download') {
          o = outcomeOf(r, 'download', downloadHtml(r.html ?? '', r.fileName, ref.current));
        } else o = outcomeOf(r, 'file');
        setOutcome(o);
        if (!openRef.current) notifyRef.current(describeOutcome(o));
      });
  };

  const cancel = () => {
    setCancelling(true);
    call.cancel();
  };

  // Keyboard focus follows the action: to Cancel while exporting (Export is disabled then), and to
  // Done/Close when it ends, unless the user already moved it somewhere in the dialog.
  const cancelRef = useRef<HTMLButtonElement>(null);
  const dismissRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d?.open) return;
    const lost = !d.contains(document.activeElement) || !!document.activeElement?.matches(':disabled');
    if (call.busy) cancelRef.current?.focus();
    else if (lost) dismissRef.current?.focus();
  }, [call.busy]);

  const problemId = `${id}-problem`;

  return (
    <dialog
      ref={ref}
      className="export-dialog"
      role="dialog"
      aria-modal="true"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-about`}
      data-testid="export-dialog"
      onClose={onClose}
      onCancel={onCancel}
      onKeyDown={trapTab}
    >
      <form
        className="export-dialog__form"
        onSubmit={(e) => {
          e.preventDefault();
          exportNow();
        }}
      >
        <DialogHead block="export-dialog" titleId={`${id}-title`} title="Export report" onClose={onClose} closeTestId="export-close" />

        <div className="export-dialog__body">
          <p id={`${id}-about`} className="export-note">
            One self-contained HTML file: it opens offline in any browser and stays interactive (flame graphs, tables, findings).{' '}
            <span data-testid="export-destination">
              {destination === 'file' ? 'You choose where to save it.' : 'Your browser downloads it.'}
            </span>
          </p>

          <div className="export-field">
            <label className="export-field__label" htmlFor={`${id}-name`}>
              Title
            </label>
            <input
              ref={titleRef}
              id={`${id}-name`}
              className="export-input"
              type="text"
              maxLength={TITLE_MAX}
              value={choices.title ?? titleDefault}
              placeholder={titleDefault}
              spellCheck={false}
              disabled={call.busy}
              onChange={(e) => change({ title: e.target.value })}
              data-testid="export-title"
            />
          </div>

          <ExportChoicesFields id={id} items={items} chosen={chosen} choices={choices} busy={call.busy} onChange={setChoices} />
        </div>

        {/* Outside the scrolling body, so what is happening stays in view; always there (live region). */}
        <ExportStatus
          problem={problem}
          problemId={problemId}
          busy={call.busy}
          progress={progress}
          cancelling={cancelling}
          onCancel={cancel}
          cancelRef={cancelRef}
          error={call.error}
          onDismissError={call.clearError}
          outcome={outcome}
        />

        <footer className="export-dialog__foot">
          <div className="toolbar-spacer" />
          <button ref={dismissRef} type="button" className="btn" onClick={onClose} data-testid="export-dismiss">
            {outcome?.kind === 'saved' || outcome?.kind === 'downloaded' ? 'Done' : 'Close'}
          </button>
          <button
            type="submit"
            className="btn btn--primary"
            disabled={!!problem || call.busy}
            aria-describedby={problem ? problemId : undefined}
            data-testid="export-submit"
          >
            {call.busy ? 'Exporting…' : destination === 'file' ? 'Export…' : 'Export'}
          </button>
        </footer>
      </form>
    </dialog>
  );
}
