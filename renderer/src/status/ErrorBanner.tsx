import { describeError, type ErrorInfo } from '../../../shared/errors';

export function ErrorBanner({ error, title, onDismiss, onRetry }: { error: ErrorInfo; title?: string; onDismiss?: () => void; onRetry?: () => void }) {
  return (
    <div className="error-banner" role="alert" data-testid="error-banner" data-code={error.code}>
      <svg className="error-banner__icon" viewBox="0 0 16 16" aria-hidden="true">
        <circle cx="8" cy="8" r="7" fill="currentColor" />
        <path className="error-banner__mark" d="M8 4.2v4.6M8 11.2v.6" strokeWidth="1.8" strokeLinecap="round" />
      </svg>
      <div className="error-banner__text">
        {title ? <strong>{title}: </strong> : null}
        {describeError(error)}
      </div>
      {onRetry ? (
        <button type="button" className="btn btn--small btn--ghost" onClick={onRetry}>
          Retry
        </button>
      ) : null}
      {onDismiss ? (
        <button type="button" className="icon-button" onClick={onDismiss} aria-label="Dismiss error">
          ×
        </button>
      ) : null}
    </div>
  );
}
