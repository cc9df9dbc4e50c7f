/**
 * One of a few choices side by side, as ARIA tabs (a view switch: `ViewTabs`) or a radio group (a
 * setting: `Segmented`). One tab stop, on the chosen item; ←/→ (wrapping), Home and End move to
 * another item and choose it, as both ARIA patterns ask.
 */
import type { KeyboardEvent, ReactNode } from 'react';

export interface Choice<V extends string> {
  value: V;
  label: ReactNode;
  title?: string;
  testId?: string;
  /** Tabs: the tab's own id and the id of the panel it controls. */
  id?: string;
  controls?: string;
}

export interface ChoiceStripProps<V extends string> {
  kind: 'tabs' | 'radio';
  choices: readonly Choice<V>[];
  value: V;
  onChange(value: V): void;
  ariaLabel: string;
  className: string;
  itemClass: string;
}

/** The index an arrow, Home or End key moves to from `i` among `n` items; null for any other key. */
export function choiceKeyTarget(key: string, i: number, n: number): number | null {
  if (key === 'ArrowRight') return (i + 1) % n;
  if (key === 'ArrowLeft') return (i - 1 + n) % n;
  if (key === 'Home') return 0;
  if (key === 'End') return n - 1;
  return null;
}

export function ChoiceStrip<V extends string>({ kind, choices, value, onChange, ariaLabel, className, itemClass }: ChoiceStripProps<V>) {
  const tabs = kind === 'tabs';
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const j = choiceKeyTarget(e.key, choices.findIndex((c) => c.value === value), choices.length);
    if (j === null) return;
    e.preventDefault();
    onChange(choices[j]!.value);
    (e.currentTarget.children[j] as HTMLElement | undefined)?.focus();
  };
  return (
    <div className={className} role={tabs ? 'tablist' : 'radiogroup'} aria-label={ariaLabel} onKeyDown={onKey}>
      {choices.map((c) => {
        const on = value === c.value;
        return (
          <button
            key={c.value}
            type="button"
            role={tabs ? 'tab' : 'radio'}
            id={c.id}
            aria-controls={c.controls}
            aria-selected={tabs ? on : undefined}
            aria-checked={tabs ? undefined : on}
            tabIndex={on ? 0 : -1}
            className={`${itemClass}${on ? ' is-selected' : ''}`}
            onClick={() => onChange(c.value)}
            title={c.title}
            data-tab={tabs ? c.value : undefined}
            data-testid={c.testId}
          >
            {c.label}
          </button>
        );
      })}
    </div>
  );
}
