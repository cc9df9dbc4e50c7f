/**
 * A table toolbar's name filter: a compact search field with a funnel icon. The table filters its
 * rows itself; the field only holds the text.
 */
import { formatNumber } from '../lib/format';

export interface FilterFieldProps {
  value: string;
  onChange(text: string): void;
  /** The accessible name ("Filter top table by name"). */
  label: string;
  testId: string;
  placeholder?: string;
}

export function FilterField({ value, onChange, label, testId, placeholder = 'Filter names' }: FilterFieldProps) {
  return (
    <div className="search-field search-field--compact">
      <svg className="search-field__icon" viewBox="0 0 16 16" aria-hidden="true">
        <path d="M2 3h12L9.5 8.5V13l-3 1.5V8.5z" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round" />
      </svg>
      <input
        type="search"
        className="search-field__input"
        placeholder={placeholder}
        aria-label={label}
        data-testid={testId}
        value={value}
        spellCheck={false}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}

/** "12 of 340" while a filter is on, else `all` (e.g. "340 rows"). */
export function filterCount(shown: number, total: number, filtering: boolean, all: string): string {
  return filtering ? `${formatNumber(shown)} of ${formatNumber(total)}` : all;
}
