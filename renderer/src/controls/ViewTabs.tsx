/** A strip of view tabs (ARIA tabs, ←/→/Home/End); the panels are the caller's. */
import type { ReactNode } from 'react';
import { ChoiceStrip } from './ChoiceStrip';

export interface TabDef<T extends string> {
  id: T;
  label: ReactNode;
  help: string;
}

export interface ViewTabsProps<T extends string> {
  tabs: readonly TabDef<T>[];
  value: T;
  onChange(t: T): void;
  label: string;
  /** Tab `t` is `<testPrefix>-<t>` to tests (and its id, when `panelPrefix` is given). */
  testPrefix: string;
  /** The panels' ids are `<panelPrefix>-<t>`: the tabs name them in aria-controls. */
  panelPrefix?: string;
  /** Drawn after a tab's label (a count). */
  badge?(t: T): ReactNode;
  className?: string;
}

export function ViewTabs<T extends string>({ tabs, value, onChange, label, testPrefix, panelPrefix, badge, className = 'tabs view-tabs' }: ViewTabsProps<T>) {
  const choices = tabs.map((t) => ({
    value: t.id,
    label: badge ? (
      <>
        {t.label}
        {badge(t.id)}
      </>
    ) : (
      t.label
    ),
    title: t.help,
    testId: `${testPrefix}-${t.id}`,
    ...(panelPrefix ? { id: `${testPrefix}-${t.id}`, controls: `${panelPrefix}-${t.id}` } : {}),
  }));
  return <ChoiceStrip kind="tabs" choices={choices} value={value} onChange={onChange} ariaLabel={label} className={className} itemClass="tab" />;
}
