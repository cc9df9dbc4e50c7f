/** The sidebar's way to the findings panel: always there, with a count badge coloured by the worst severity. */
import type { FindingsState } from './useFindings';

export function FindingsNav({ state, active, onOpen }: { state: FindingsState; active: boolean; onOpen(): void }) {
  const findings = state.result?.findings ?? [];
  const worst = findings.find((f) => f.severity === 'high') ? 'high' : findings.find((f) => f.severity === 'medium') ? 'medium' : findings.length ? 'low' : 'none';
  const high = findings.filter((f) => f.severity === 'high').length;
  return (
    <button
      type="button"
      className={`findings-nav${active ? ' is-active' : ''}`}
      onClick={onOpen}
      aria-current={active ? 'page' : undefined}
      data-testid="findings-nav"
      title={state.result ? `${findings.length} findings${high ? `, ${high} high` : ''}` : 'Looking for leaks…'}
    >
      <svg className="findings-nav__icon" viewBox="0 0 16 16" aria-hidden="true">
        <path d="M8 1.8 14.6 13.6H1.4z" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round" />
        <path d="M8 6.2v3.6M8 11.6v.3" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
      </svg>
      <span className="findings-nav__label">Findings</span>
      {state.busy ? <span className="findings-nav__busy text-muted">checking…</span> : null}
      <span className={`count-badge findings-count findings-count--${worst}`} data-testid="findings-count">
        {state.result ? findings.length : '…'}
      </span>
    </button>
  );
}
