/**
 * A labelled drop-down in a view header ("Sample", "Granularity", "Scope"): the label above, a
 * native <select>. Option labels are text (they may name profile sample types).
 */
export interface SelectOption {
  value: string;
  label: string;
}

export interface SelectFieldProps {
  label: string;
  value: string;
  options: readonly SelectOption[];
  onChange(value: string): void;
  ariaLabel: string;
  testId?: string;
  /** Extra class of the select (e.g. a width). */
  selectClass?: string;
}

export function SelectField({ label, value, options, onChange, ariaLabel, testId, selectClass }: SelectFieldProps) {
  return (
    <label className="field">
      <span className="field__label">{label}</span>
      <select className={selectClass ? `select ${selectClass}` : 'select'} data-testid={testId} aria-label={ariaLabel} value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}
