import { useState } from 'react';
import { FILTER_HELP, FILTER_KINDS, FILTER_LABEL, isLabelFilter, type FilterChip, type FilterKind } from './settings';

export interface FilterBarProps {
  filters: FilterChip[];
  onChange(filters: FilterChip[]): void;
}

function FilterInput({ kind, onAdd }: { kind: FilterKind; onAdd(v: string): void }) {
  const [text, setText] = useState('');
  return (
    <label className="filter-input" title={`${FILTER_HELP[kind]} (${isLabelFilter(kind) ? 'key=regex' : 'regex'}, Enter to apply)`}>
      <span className={`filter-input__kind filter-kind--${kind}`}>{FILTER_LABEL[kind]}</span>
      <input
        type="text"
        value={text}
        spellCheck={false}
        placeholder={isLabelFilter(kind) ? 'key=regex ⏎' : 'regex ⏎'}
        aria-label={`${FILTER_LABEL[kind]} ${isLabelFilter(kind) ? 'key=regex' : 'regex'}: ${FILTER_HELP[kind]}; press Enter to apply`}
        data-testid={`filter-${kind}`}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            const v = text.trim();
            if (v) {
              onAdd(v);
              setText('');
            }
          } else if (e.key === 'Escape') {
            setText('');
          }
        }}
      />
    </label>
  );
}

export function FilterBar({ filters, onChange }: FilterBarProps) {
  const add = (kind: FilterKind, value: string) => {
    if (filters.some((f) => f.kind === kind && f.value === value)) return;
    onChange([...filters, { kind, value }]);
  };
  return (
    <div className="filter-bar" role="group" aria-label="Refine: focus, ignore, hide, show and label filters">
      <span className="filter-bar__label">Refine</span>
      {FILTER_KINDS.map((k) => (
        <FilterInput key={k} kind={k} onAdd={(v) => add(k, v)} />
      ))}
      {filters.length ? (
        <ul className="chips" aria-label="Active filters" data-testid="filter-chips">
          {filters.map((f, i) => (
            <li key={`${f.kind}:${f.value}`} className={`chip filter-kind--${f.kind}`} data-testid="filter-chip">
              <span className="chip__kind">{FILTER_LABEL[f.kind]}</span>
              <code className="chip__value" title={f.value}>
                {f.value}
              </code>
              <button
                type="button"
                className="chip__remove"
                aria-label={`Remove ${FILTER_LABEL[f.kind]} filter ${f.value}`}
                onClick={() => onChange(filters.filter((_, j) => j !== i))}
              >
                ×
              </button>
            </li>
          ))}
          {filters.length > 1 ? (
            <li>
              <button type="button" className="btn btn--small btn--ghost" onClick={() => onChange([])}>
                Clear all
              </button>
            </li>
          ) : null}
        </ul>
      ) : null}
    </div>
  );
}
