/**
 * What the profile, comparison and series views share in their headers: the granularity and
 * sample-type drop-downs, patching the view settings, and the flame keyboard ("/" or Ctrl/Cmd+F
 * focus the search, Escape resets the zoom).
 */
import { useCallback, useEffect, useRef } from 'react';
import type { Granularity, ValueType } from '../../../shared/api/types';
import { SelectField } from '../controls/SelectField';
import { sampleTypeLabel } from '../lib/format';
import type { ViewSettings } from './settings';
import { useLatest } from '../lib/useLatest';

/** pprof-like pruning: frames narrower than 0.05% of the total are merged. */
export const MIN_FRACTION = 0.0005;

const GRANULARITIES: Array<{ value: Granularity; label: string }> = [
  { value: 'functions', label: 'Functions' },
  { value: 'files', label: 'Files' },
  { value: 'lines', label: 'Lines' },
];

export function GranularityField({ value, onChange, ariaLabel, testId }: { value: Granularity; onChange(g: Granularity): void; ariaLabel: string; testId?: string }) {
  return <SelectField label="Granularity" value={value} options={GRANULARITIES} onChange={(v) => onChange(v as Granularity)} ariaLabel={ariaLabel} {...(testId ? { testId } : {})} />;
}

/** Sample types by name (the comparison's and the series' common types). */
export function SampleTypeField({ types, value, onChange, ariaLabel, testId }: { types: readonly ValueType[]; value: string; onChange(type: string): void; ariaLabel: string; testId: string }) {
  return <SelectField label="Sample" value={value} options={types.map((t) => ({ value: t.type, label: sampleTypeLabel(t) }))} onChange={onChange} ariaLabel={ariaLabel} testId={testId} />;
}

/** `update(patch)`: the latest settings with `patch` applied, handed to `onSettingsChange`. */
export function useSettingsPatch(settings: ViewSettings, onSettingsChange: (s: ViewSettings) => void): (patch: Partial<ViewSettings>) => void {
  const settingsRef = useLatest(settings);
  return useCallback((patch: Partial<ViewSettings>) => onSettingsChange({ ...settingsRef.current, ...patch }), [onSettingsChange]);
}

function isEditable(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  return t.isContentEditable || t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT';
}

export interface FlameShortcuts {
  /** Focus the search; false when there is no search box to focus (the key is left alone). */
  focusSearch(select: boolean): boolean;
  resetZoom(): void;
}

/** "/" or Ctrl/Cmd+F focus the flame search (Ctrl/Cmd+F also selects its text); Escape resets the zoom. */
export function useFlameShortcuts(shortcuts: FlameShortcuts): void {
  const ref = useRef(shortcuts);
  ref.current = shortcuts;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.key === 'f' || e.key === 'F') && (e.ctrlKey || e.metaKey) && !e.altKey) {
        if (ref.current.focusSearch(true)) e.preventDefault();
      } else if (e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !isEditable(e.target)) {
        if (ref.current.focusSearch(false)) e.preventDefault();
      } else if (e.key === 'Escape') {
        ref.current.resetZoom();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
