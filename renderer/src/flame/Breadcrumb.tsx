/**
 * The zoomed frame path as a breadcrumb ("all › main.main › main.run"), or, when a parent asked for
 * a path this profile does not have, which path is missing. Names are text.
 */
export interface BreadcrumbProps {
  shownPath: readonly string[];
  missingPath: readonly string[] | null;
  onReset(): void;
  onZoomTo(path: readonly string[]): void;
}

export function Breadcrumb({ shownPath, missingPath, onReset, onZoomTo }: BreadcrumbProps) {
  return (
    <nav className="flame-breadcrumb" aria-label="Zoomed frame path" data-testid="flame-breadcrumb">
      <button type="button" className="crumb crumb--home" onClick={onReset} title="Show the whole graph (Esc)" aria-label="Show the whole graph">
        all
      </button>
      {missingPath ? (
        <span className="flame-breadcrumb__missing" data-testid="flame-zoom-missing" role="status">
          <span className="text-warning">Not in this profile:</span> <code title={missingPath.join(' › ')}>{missingPath.join(' › ')}</code>
        </span>
      ) : (
        shownPath.map((name, i) => (
          <span key={i} className="crumb-item">
            <span className="crumb-sep" aria-hidden="true">
              ›
            </span>
            {i === shownPath.length - 1 ? (
              <span className="crumb crumb--current" aria-current="location" title={name}>
                {name}
              </span>
            ) : (
              <button type="button" className="crumb" title={`Zoom to ${name}`} onClick={() => onZoomTo(shownPath.slice(0, i + 1))}>
                {name}
              </button>
            )}
          </span>
        ))
      )}
    </nav>
  );
}
