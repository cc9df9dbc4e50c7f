/** A segmented radio group (one of a few choices, side by side). */
import { ChoiceStrip } from './ChoiceStrip';

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
  return <ChoiceStrip kind="radio" choices={options} value={value} onChange={onChange} ariaLabel={ariaLabel} className="segmented" itemClass="segmented__item" />;
}
