/** The "Compare A ⇄ B" title, shared by the comparison views. */
import type { LoadedItem } from '../../../shared/api/types';

export function CompareTitle({ a, b, onSwap, onView, label = 'Compare' }: { a: LoadedItem; b: LoadedItem; onSwap(): void; onView(handle: string): void; label?: string }) {
  return (
    <div className="compare-title">
      <span className="compare-title__label">{label}</span>
      <button type="button" className="compare-name" onClick={() => onView(a.handle)} title={`Base (A): ${a.name}. Click to view it alone`} data-testid="compare-name-a">
        <span className="compare-letter compare-letter--a" aria-hidden="true">
          A
        </span>
        <span className="compare-name__text">{a.name}</span>
      </button>
      <button type="button" className="icon-button compare-swap" onClick={onSwap} aria-label="Swap A and B" title="Swap A and B" data-testid="compare-swap">
        <svg viewBox="0 0 16 16" aria-hidden="true">
          <path d="M2 5h10M9 2l3 3-3 3M14 11H4M7 8l-3 3 3 3" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      </button>
      <button type="button" className="compare-name" onClick={() => onView(b.handle)} title={`Target (B): ${b.name}. Click to view it alone`} data-testid="compare-name-b">
        <span className="compare-letter compare-letter--b" aria-hidden="true">
          B
        </span>
        <span className="compare-name__text">{b.name}</span>
      </button>
    </div>
  );
}
