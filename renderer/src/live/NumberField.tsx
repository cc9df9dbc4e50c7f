/**
 * A labelled number input of the live dialogs (seconds, timeouts, limits). The value stays the
 * text typed (blank: the default); the caller parses it.
 */
export interface NumberFieldProps {
  /** The input's id (the label points at it). */
  id?: string;
  label: string;
  value: string;
  onChange(text: string): void;
  min: string;
  step: string;
  placeholder?: string;
  disabled?: boolean;
  testId?: string;
  /** The label's tooltip (the whole field). */
  title?: string;
  /** The input's own tooltip. */
  inputTitle?: string;
  /** The input's accessible name when the label is too short to say it ("s"). */
  ariaLabel?: string;
  /** The label beside the input, not above it. */
  inline?: boolean;
}

export function NumberField({ id, label, value, onChange, min, step, placeholder, disabled, testId, title, inputTitle, ariaLabel, inline }: NumberFieldProps) {
  return (
    <label className={`live-field${inline ? ' live-field--inline' : ''}`} htmlFor={id} title={title}>
      <span className="live-field__label">{label}</span>
      <input
        id={id}
        className="live-input live-input--num"
        type="number"
        min={min}
        step={step}
        placeholder={placeholder}
        value={value}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value)}
        data-testid={testId}
        title={inputTitle}
        aria-label={ariaLabel}
      />
    </label>
  );
}
