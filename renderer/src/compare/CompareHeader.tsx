/** The "Compare A ⇄ B" title and the view tabs, shared by the comparison views. */
import type { KeyboardEvent, ReactNode } from 'react';
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

export interface TabDef<T extends string> {
  id: T;
  label: ReactNode;
  help: string;
}

/** A tab strip (ARIA tabs, ←/→/Home/End); panels are the caller's. */
export function ViewTabs<T extends string>({ tabs, value, onChange, label, testPrefix }: { tabs: TabDef<T>[]; value: T; onChange(t: T): void; label: string; testPrefix: string }) {
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = tabs.findIndex((t) => t.id === value);
    let j = i;
    if (e.key === 'ArrowRight') j = (i + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') j = (i - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = tabs.length - 1;
    else return;
    e.preventDefault();
    onChange(tabs[j]!.id);
    (e.currentTarget.querySelector(`[data-tab="${tabs[j]!.id}"]`) as HTMLElement | null)?.focus();
  };
  return (
    <div className="tabs view-tabs" role="tablist" aria-label={label} onKeyDown={onKey}>
      {tabs.map((t) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          aria-selected={value === t.id}
          tabIndex={value === t.id ? 0 : -1}
          className={`tab${value === t.id ? ' is-selected' : ''}`}
          onClick={() => onChange(t.id)}
          title={t.help}
          data-tab={t.id}
          data-testid={`${testPrefix}-${t.id}`}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
