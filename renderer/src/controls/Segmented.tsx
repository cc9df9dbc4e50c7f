/** A segmented radio group (one of a few choices, side by side). */
export interface SegmentedOption<V extends string> {
  value: V;
  label: string;
  title?: string;
  testId?: string;
}

export interface SegmentedProps<V extends string> {
  options: readonly SegmentedOption<V>[];
  value: V;
  onChange(value: V): void;
  ariaLabel: string;
}

export function Segmented<V extends string>({ options, value, onChange, ariaLabel }: SegmentedProps<V>) {
  return (
    <div className="segmented" role="radiogroup" aria-label={ariaLabel}>
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          role="radio"
          aria-checked={value === o.value}
          className={`segmented__item${value === o.value ? ' is-selected' : ''}`}
          onClick={() => onChange(o.value)}
          title={o.title}
          data-testid={o.testId}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}
