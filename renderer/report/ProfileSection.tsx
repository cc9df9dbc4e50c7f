/** A profile: per chosen sample type, the flame graph (search, zoom, tooltip) and the top table. */
import { useMemo, useState } from 'react';
import type { FlameResult, TopResult } from '../../shared/api/types';
import { unpackTree } from '../../shared/report/unpack';
import type { ProfileSection as Section, ProfileView } from '../../shared/report/model';
import { FlameGraph, type FlameSearch } from '../src/flame/FlameGraph';
import { sampleTypeLabel, formatPercent } from '../src/lib/format';
import { TopTable } from '../src/top/TopTable';
import { SourceSection } from './SourceSection';

export function flameResultOf(view: Pick<ProfileView, 'sampleType' | 'sampleIndex' | 'total' | 'flame'>, strings: readonly string[]): FlameResult {
  return {
    sampleType: view.sampleType,
    sampleIndex: view.sampleIndex,
    total: view.total,
    root: unpackTree(view.flame, strings),
    nodeCount: view.flame.nodeCount,
    hiddenFrames: view.flame.hiddenFrames,
  };
}

/** Height of a flame graph panel for a packed tree: its depth in 20 px rows + toolbar and note, clamped. */
export function flameHeight(parent: readonly number[]): number {
  const depth = new Int32Array(parent.length);
  let max = 0;
  for (let i = 1; i < parent.length; i++) {
    const p = parent[i]!;
    depth[i] = p >= 0 && p < i ? depth[p]! + 1 : 0;
    if (depth[i]! > max) max = depth[i]!;
  }
  return Math.max(220, Math.min(560, (max + 1) * 20 + 100));
}

/** The smallest max(|flat|, |cum|) among the rows kept: no row left out is bigger. */
export function smallestKept(flat: readonly number[], cum: readonly number[]): number {
  let m = Infinity;
  for (let i = 0; i < flat.length; i++) m = Math.min(m, Math.max(Math.abs(flat[i] ?? 0), Math.abs(cum[i] ?? 0)));
  return Number.isFinite(m) ? m : 0;
}

function ViewPanels({ view, strings }: { view: ProfileView; strings: readonly string[] }) {
  const flame = useMemo(() => flameResultOf(view, strings), [view, strings]);
  const top = useMemo<TopResult>(
    () => ({
      sampleType: view.sampleType,
      sampleIndex: view.sampleIndex,
      total: view.total,
      rows: view.top.name.map((n, i) => ({ name: strings[n] ?? '?', flat: view.top.flat[i] ?? 0, cum: view.top.cum[i] ?? 0 })),
    }),
    [view, strings],
  );
  const [search, setSearch] = useState<FlameSearch>({ text: '', mode: 'substring' });
  const [selected, setSelected] = useState<string | null>(null);
  const omitted = view.top.totalRows - view.top.name.length;
  const height = useMemo(() => flameHeight(view.flame.parent), [view]);
  return (
    <div className="report-profile">
      <div className="report-flame" style={{ height }}>
        <FlameGraph
          result={flame}
          search={search}
          onSearchChange={(s) => {
            setSearch(s);
            if (s.mode !== 'exact') setSelected(null);
          }}
          minFraction={view.flame.minFraction}
        />
      </div>
      <div className="report-top">
        <TopTable
          result={top}
          selected={selected}
          onSelect={(name) => {
            setSelected(name);
            setSearch(name ? { text: name, mode: 'exact' } : { text: '', mode: 'substring' });
          }}
        />
      </div>
      {omitted > 0 ? (
        <p className="report-note" data-testid="top-omitted">
          The top table keeps the {view.top.name.length.toLocaleString()} biggest of {view.top.totalRows.toLocaleString()} functions (by flat or cum); the {omitted.toLocaleString()} left out are each
          at most {formatPercent(smallestKept(view.top.flat, view.top.cum), view.total)} of the total.
        </p>
      ) : null}
      {view.source ? <SourceSection source={view.source} unit={view.sampleType.unit} delta={false} /> : null}
    </div>
  );
}

export function ProfileSection({ section, strings }: { section: Section; strings: readonly string[] }) {
  const [vi, setVi] = useState(0);
  const view = section.views[Math.min(vi, section.views.length - 1)];
  return (
    <>
      {section.views.length > 1 ? (
        <div className="report-tabs" role="tablist" aria-label="Sample type">
          {section.views.map((v, i) => (
            <button key={i} type="button" role="tab" aria-selected={i === vi} className={`report-tab${i === vi ? ' is-active' : ''}`} data-testid="sample-type-tab" onClick={() => setVi(i)}>
              {sampleTypeLabel(v.sampleType)}
            </button>
          ))}
        </div>
      ) : view ? (
        <p className="report-meta">
          Sample type: <strong>{sampleTypeLabel(view.sampleType)}</strong>
        </p>
      ) : null}
      {view ? <ViewPanels key={vi} view={view} strings={strings} /> : <p className="text-muted">No sample types.</p>}
    </>
  );
}
