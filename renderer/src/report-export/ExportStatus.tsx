/**
 * Where an export stands, below the dialog's scrolling body (a live region): why Export is disabled,
 * the progress with Cancel, an error, or the outcome (saved where, downloaded, not saved, cancelled).
 */
import type { Ref } from 'react';
import type { Progress } from '../../../shared/api/types';
import type { ErrorInfo } from '../../../shared/errors';
import { formatSize } from '../lib/format';
import { ErrorBanner } from '../status/ErrorBanner';
import { describeOutcome, type ExportOutcome } from './request';

export interface ExportStatusProps {
  /** Why Export is disabled (null: it is not). */
  problem: string | null;
  problemId: string;
  busy: boolean;
  progress: Progress | null;
  cancelling: boolean;
  onCancel(): void;
  cancelRef: Ref<HTMLButtonElement>;
  error: ErrorInfo | null;
  onDismissError(): void;
  outcome: ExportOutcome | null;
}

export function ExportStatus({ problem, problemId, busy, progress, cancelling, onCancel, cancelRef, error, onDismissError, outcome }: ExportStatusProps) {
  const determinate = !!progress && progress.total > 0;
  const pct = determinate ? Math.min(100, Math.max(0, (100 * progress.done) / progress.total)) : 0;
  const progressText = cancelling ? 'Cancelling…' : progress?.label ? progress.label.replace(/^report: /, '') : 'Preparing the report…';
  return (
    <div className="export-dialog__status" aria-live="polite">
      {problem ? (
        <p id={problemId} className="export-problem" data-testid="export-problem">
          {problem}
        </p>
      ) : null}

      {busy ? (
        <div className="export-progress" data-testid="export-progress">
          <span className="export-progress__text" data-testid="export-progress-text" title={progressText}>
            {progressText}
          </span>
          <div
            className={`progress export-progress__bar${determinate && !cancelling ? '' : ' progress--indeterminate'}`}
            role="progressbar"
            aria-label="Exporting the report"
            aria-valuemin={0}
            aria-valuemax={100}
            {...(determinate && !cancelling ? { 'aria-valuenow': Math.round(pct) } : {})}
          >
            <div className="progress__fill" style={determinate && !cancelling ? { width: `${pct}%` } : undefined} />
          </div>
          <button ref={cancelRef} type="button" className="btn btn--small" onClick={onCancel} disabled={cancelling} data-testid="export-cancel">
            Cancel export
          </button>
        </div>
      ) : null}

      {error ? (
        <div data-testid="export-error">
          <ErrorBanner title="Could not export the report" error={error} onDismiss={onDismissError} />
        </div>
      ) : null}

      {outcome && !busy ? (
        <p
          className={`export-outcome export-outcome--${outcome.kind}`}
          data-testid={outcome.kind === 'saved' || outcome.kind === 'downloaded' ? 'export-done' : 'export-cancelled'}
          data-outcome={outcome.kind}
        >
          {outcome.kind === 'saved' ? (
            <>
              Report saved to <span className="mono export-outcome__path">{outcome.path}</span> ({formatSize(outcome.sizeBytes)}).
            </>
          ) : (
            describeOutcome(outcome)
          )}
        </p>
      ) : null}
    </div>
  );
}
