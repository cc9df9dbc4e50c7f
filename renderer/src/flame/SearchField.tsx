/**
 * The flame search box: text, an "exact" badge while a selected function is searched, and the regex
 * toggle. Typing keeps the mode (regex stays regex, anything else becomes a substring search);
 * Escape clears the text. Used by the flame graph's toolbar and by the comparison's shared toolbar.
 */
import type { Ref } from 'react';
import type { SearchMode } from '../lib/regex';

export interface FlameSearch {
  text: string;
  mode: SearchMode;
}

export interface SearchFieldProps {
  search: FlameSearch;
  onChange(s: FlameSearch): void;
  inputRef?: Ref<HTMLInputElement>;
  testId: string;
  ariaLabel: string;
  /** The placeholder of a plain search (a regex search says "Search (regex)"). */
  placeholder: string;
  /** The exact badge's tooltip. */
  exactTitle?: string;
}

export function SearchField({ search, onChange, inputRef, testId, ariaLabel, placeholder, exactTitle }: SearchFieldProps) {
  const typingMode: SearchMode = search.mode === 'regex' ? 'regex' : 'substring';
  return (
    <div className="search-field">
      <svg className="search-field__icon" viewBox="0 0 16 16" aria-hidden="true">
        <circle cx="7" cy="7" r="4.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
        <path d="M10.5 10.5 14 14" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
      </svg>
      <input
        ref={inputRef}
        type="search"
        className="search-field__input"
        data-testid={testId}
        aria-label={ariaLabel}
        placeholder={search.mode === 'regex' ? 'Search (regex)  /' : placeholder}
        value={search.text}
        spellCheck={false}
        onChange={(e) => onChange({ text: e.target.value, mode: typingMode })}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && search.text) onChange({ text: '', mode: typingMode });
        }}
      />
      {search.mode === 'exact' && search.text ? (
        <span className="search-field__badge" title={exactTitle}>
          exact
        </span>
      ) : null}
      <button
        type="button"
        className="icon-toggle"
        aria-pressed={search.mode === 'regex'}
        aria-label="Use regular expression"
        title="Use regular expression"
        onClick={() => onChange({ text: search.text, mode: search.mode === 'regex' ? 'substring' : 'regex' })}
      >
        .*
      </button>
    </div>
  );
}

export interface ZoomButtonsProps {
  zoomed: boolean;
  onReset(): void;
  inverted: boolean;
  onInvertedChange(v: boolean): void;
  resetTestId: string;
  /** The icicle button's accessible name (one graph or both). */
  icicleLabel: string;
  icicleTitle?: string;
}

/** "Reset zoom" and the icicle toggle, at the end of a flame toolbar. */
export function ZoomButtons({ zoomed, onReset, inverted, onInvertedChange, resetTestId, icicleLabel, icicleTitle }: ZoomButtonsProps) {
  return (
    <>
      <button type="button" className="btn btn--small" onClick={onReset} disabled={!zoomed} aria-label="Reset zoom (Escape)" title="Reset zoom (Esc)" data-testid={resetTestId}>
        Reset zoom
      </button>
      <button type="button" className="btn btn--small" aria-pressed={inverted} onClick={() => onInvertedChange(!inverted)} aria-label={icicleLabel} title={icicleTitle}>
        Icicle
      </button>
    </>
  );
}
