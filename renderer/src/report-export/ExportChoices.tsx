/**
 * What goes into the report: the items (checked by default; unchecked ones are kept as exclusions,
 * so items opened meanwhile are in), the sections, and the sample types drawn per profile. Item
 * names are text.
 */
import type { Dispatch, SetStateAction } from 'react';
import type { LoadedItem } from '../../../shared/api/types';
import { formatSize } from '../lib/format';
import { ALL_SECTIONS, SECTIONS, sectionCount, type ExportChoices, type SectionKey } from './request';

const KIND_LABEL: Record<string, string> = { heapdump: 'heap dump', gctrace: 'gctrace log' };

function kindOf(i: LoadedItem): string {
  return i.kind === 'profile' ? `${i.profileKind === 'unknown' ? '' : `${i.profileKind} `}profile` : KIND_LABEL[i.kind] ?? i.kind;
}

export interface ExportChoicesFieldsProps {
  /** The dialog's id prefix (labels and descriptions). */
  id: string;
  items: readonly LoadedItem[];
  chosen: readonly LoadedItem[];
  choices: ExportChoices;
  /** An export is running: the choices are locked. */
  busy: boolean;
  onChange: Dispatch<SetStateAction<ExportChoices>>;
}

export function ExportChoicesFields({ id, items, chosen, choices, busy, onChange }: ExportChoicesFieldsProps) {
  const change = (patch: Partial<ExportChoices>) => onChange((c) => ({ ...c, ...patch }));
  const setIncluded = (handle: string, on: boolean) =>
    onChange((c) => {
      const excluded = new Set(c.excluded);
      if (on) excluded.delete(handle);
      else excluded.add(handle);
      return { ...c, excluded };
    });
  const setSection = (key: SectionKey, on: boolean) => onChange((c) => ({ ...c, sections: { ...c.sections, [key]: on } }));
  const allIn = chosen.length === items.length;
  return (
    <>
      <fieldset className="export-group" data-testid="export-items" disabled={busy}>
        <legend className="export-group__legend">
          Items <span className="count-badge" data-testid="export-items-count">{`${chosen.length} of ${items.length}`}</span>
        </legend>
        <div className="export-group__actions">
          <button type="button" className="btn btn--small btn--ghost" onClick={() => change({ excluded: new Set() })} disabled={allIn} data-testid="export-items-all">
            Check all
          </button>
          <button
            type="button"
            className="btn btn--small btn--ghost"
            onClick={() => change({ excluded: new Set(items.map((i) => i.handle)) })}
            disabled={chosen.length === 0}
            data-testid="export-items-none"
          >
            Uncheck all
          </button>
        </div>
        <ul className="export-items" aria-label="Items to report on">
          {items.map((i) => (
            <li key={i.handle}>
              <label className="export-check export-item" title={i.source}>
                <input
                  type="checkbox"
                  checked={!choices.excluded.has(i.handle)}
                  onChange={(e) => setIncluded(i.handle, e.target.checked)}
                  data-testid="export-item"
                  data-handle={i.handle}
                  data-name={i.name}
                />
                <span className="export-item__name">{i.name}</span>
                <span className="export-item__meta text-muted">
                  {kindOf(i)} · {formatSize(i.sizeBytes)}
                </span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>

      <fieldset className="export-group" data-testid="export-sections" disabled={busy}>
        <legend className="export-group__legend">Sections</legend>
        <ul className="export-sections">
          {SECTIONS.map((s) => {
            const n = sectionCount(s.key, chosen);
            return (
              <li key={s.key}>
                <label className="export-check">
                  <input
                    type="checkbox"
                    checked={choices.sections[s.key]}
                    onChange={(e) => setSection(s.key, e.target.checked)}
                    aria-describedby={`${id}-sec-${s.id}`}
                    data-testid={`export-section-${s.id}`}
                  />
                  <span>{s.label}</span>
                </label>
                <span id={`${id}-sec-${s.id}`} className="export-note">
                  {s.help}
                  {n === 0 && chosen.length ? <span className="text-warning"> · nothing among the checked items</span> : null}
                </span>
              </li>
            );
          })}
        </ul>
        {SECTIONS.some((s) => !choices.sections[s.key]) ? (
          <button type="button" className="btn btn--small btn--ghost" onClick={() => change({ sections: ALL_SECTIONS })} data-testid="export-sections-all">
            Check all sections
          </button>
        ) : null}
      </fieldset>

      <fieldset className="export-group" disabled={busy}>
        <legend className="export-group__legend">Sample types</legend>
        <div className="export-radios" role="radiogroup" aria-label="Sample types drawn per profile">
          <label className="export-check">
            <input type="radio" name={`${id}-st`} checked={choices.sampleTypes === 'default'} onChange={() => change({ sampleTypes: 'default' })} data-testid="export-sample-default" />
            <span>Default</span>
            <span className="export-note">each profile's default (e.g. inuse_space)</span>
          </label>
          <label className="export-check">
            <input type="radio" name={`${id}-st`} checked={choices.sampleTypes === 'all'} onChange={() => change({ sampleTypes: 'all' })} data-testid="export-sample-all" />
            <span>All</span>
            <span className="export-note">every sample type: a bigger file</span>
          </label>
        </div>
      </fieldset>
    </>
  );
}
