/**
 * A flame toolbar's row: the search field, what follows it (the match count, a note), a spacer,
 * anything before the zoom buttons (a total), then "Reset zoom" and the icicle toggle. One graph
 * (the profile view's flame graph) or the comparison's graphs, named by `scope`: the labels, the
 * placeholder and the test ids follow from it.
 */
import type { ReactNode, Ref } from 'react';
import { SearchField, ZoomButtons, type FlameSearch } from './SearchField';

/** What the search and zoom act on. */
export type FlameToolbarScope = 'graph' | 'overlay' | 'both';

const SCOPES: Record<FlameToolbarScope, { prefix: string; search: string; placeholder: string; icicle: string; icicleTitle?: string; exactTitle?: string }> = {
  graph: {
    prefix: 'flame',
    search: 'Search frames in the flame graph',
    placeholder: 'Search frames  /',
    icicle: 'Icicle: draw the root at the top',
    icicleTitle: 'Icicle: root at the top',
    exactTitle: 'Matching this exact function (selected in the table)',
  },
  overlay: { prefix: 'compare', search: 'Search frames in the differential flame graph', placeholder: 'Search frames  /', icicle: 'Icicle: draw the roots at the top' },
  both: { prefix: 'compare', search: 'Search frames in both flame graphs', placeholder: 'Search both graphs  /', icicle: 'Icicle: draw the roots at the top' },
};

export interface FlameToolbarProps {
  scope: FlameToolbarScope;
  search: FlameSearch;
  onSearchChange(s: FlameSearch): void;
  searchRef?: Ref<HTMLInputElement>;
  zoomed: boolean;
  onResetZoom(): void;
  inverted: boolean;
  onInvertedChange(v: boolean): void;
  /** Right after the search field. */
  children?: ReactNode;
  /** After the spacer, before the zoom buttons. */
  end?: ReactNode;
}

export function FlameToolbar({ scope, search, onSearchChange, searchRef, zoomed, onResetZoom, inverted, onInvertedChange, children, end }: FlameToolbarProps) {
  const s = SCOPES[scope];
  return (
    <>
      <SearchField search={search} onChange={onSearchChange} inputRef={searchRef} testId={`${s.prefix}-search`} ariaLabel={s.search} placeholder={s.placeholder} exactTitle={s.exactTitle} />
      {children}
      <div className="toolbar-spacer" />
      {end}
      <ZoomButtons zoomed={zoomed} onReset={onResetZoom} inverted={inverted} onInvertedChange={onInvertedChange} resetTestId={`${s.prefix}-reset-zoom`} icicleLabel={s.icicle} icicleTitle={s.icicleTitle} />
    </>
  );
}
