/**
 * What could not be opened, as one error banner: the file and where it broke for one failure, a
 * list for several.
 */
import type { OpenFailure } from '../../../shared/api/types';
import { describeError } from '../../../shared/errors';
import { ErrorBanner } from './ErrorBanner';

export function OpenFailures({ failures, onDismiss }: { failures: OpenFailure[]; onDismiss(): void }) {
  if (!failures.length) return null;
  if (failures.length === 1) {
    const f = failures[0]!;
    return <ErrorBanner title="Could not open" error={{ ...f.error, file: f.error.file ?? f.source }} onDismiss={onDismiss} />;
  }
  return (
    <div className="error-banner" role="alert" data-testid="error-banner">
      <div className="error-banner__text">
        <strong>Could not open {failures.length} files:</strong>
        <ul>
          {failures.map((f, i) => (
            <li key={i}>{describeError({ ...f.error, file: f.error.file ?? f.source })}</li>
          ))}
        </ul>
      </div>
      <button type="button" className="icon-button" onClick={onDismiss} aria-label="Dismiss error">
        ×
      </button>
    </div>
  );
}
