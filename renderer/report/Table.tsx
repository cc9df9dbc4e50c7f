/**
 * A small sortable table for the report's lists (delta rows, roots, goroutine groups): click a header
 * to sort, type to filter by name, long lists show their first rows with "Show more". Cells are React
 * text; nothing here parses markup.
 */
import { useMemo, useState, type ReactNode } from 'react';

export interface Column<R> {
  id: string;
  header: string;
  /** Sort key. */
  value(r: R): number | string;
  /** Cell content (default: the value as text). */
  render?(r: R): ReactNode;
  numeric?: boolean;
  title?(r: R): string;
  /** Sort descending first (numbers default to it). */
  descFirst?: boolean;
}

export interface TableProps<R> {
  rows: readonly R[];
  columns: Array<Column<R>>;
  initialSort?: { id: string; desc: boolean };
  /** Text matched by the filter box; no box when absent. */
  filterText?(r: R): string;
  pageSize?: number;
  testId?: string;
  rowTestId?: string;
  label: string;
  empty?: string;
  rowClass?(r: R): string | undefined;
}

export function Table<R>({ rows, columns, initialSort, filterText, pageSize = 100, testId, rowTestId, label, empty, rowClass }: TableProps<R>) {
  const [sort, setSort] = useState<{ id: string; desc: boolean } | null>(initialSort ?? null);
  const [filter, setFilter] = useState('');
  const [limit, setLimit] = useState(pageSize);
  const shown = useMemo(() => {
    let out = rows.slice();
    if (filter && filterText) {
      const f = filter.toLowerCase();
      out = out.filter((r) => filterText(r).toLowerCase().includes(f));
    }
    const col = sort ? columns.find((c) => c.id === sort.id) : undefined;
    if (col && sort) {
      const dir = sort.desc ? -1 : 1;
      out = out
        .map((r, i) => ({ r, i, k: col.value(r) }))
        .sort((a, b) => {
          const c = typeof a.k === 'number' && typeof b.k === 'number' ? a.k - b.k : String(a.k).localeCompare(String(b.k));
          return c * dir || a.i - b.i;
        })
        .map((x) => x.r);
    }
    return out;
  }, [rows, columns, sort, filter, filterText]);

  const toggle = (c: Column<R>) => {
    const descFirst = c.descFirst ?? c.numeric ?? false;
    setSort((s) => (s && s.id === c.id ? { id: c.id, desc: !s.desc } : { id: c.id, desc: descFirst }));
  };

  return (
    <div className="rtable" data-testid={testId}>
      {filterText ? (
        <div className="rtable__tools">
          <input
            type="search"
            className="rtable__filter"
            placeholder="Filter"
            aria-label={`Filter ${label}`}
            value={filter}
            spellCheck={false}
            onChange={(e) => {
              setFilter(e.target.value);
              setLimit(pageSize);
            }}
          />
          <span className="text-muted">{filter ? `${shown.length.toLocaleString()} of ${rows.length.toLocaleString()}` : `${rows.length.toLocaleString()} rows`}</span>
        </div>
      ) : null}
      <div className="rtable__scroll">
        <table aria-label={label}>
          <thead>
            <tr>
              {columns.map((c) => {
                const s = sort && sort.id === c.id ? (sort.desc ? 'descending' : 'ascending') : 'none';
                return (
                  <th key={c.id} scope="col" aria-sort={s} className={c.numeric ? 'num' : undefined}>
                    <button type="button" className="rtable__sort" onClick={() => toggle(c)}>
                      {c.header}
                      <span className="sort-indicator" aria-hidden="true">
                        {s === 'ascending' ? '▲' : s === 'descending' ? '▼' : ''}
                      </span>
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {shown.slice(0, limit).map((r, i) => (
              <tr key={i} data-testid={rowTestId} className={rowClass?.(r)}>
                {columns.map((c) => (
                  <td key={c.id} className={c.numeric ? 'num' : undefined} title={c.title?.(r)}>
                    {c.render ? c.render(r) : String(c.value(r))}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {shown.length === 0 ? <div className="panel__empty">{empty ?? 'Nothing to show.'}</div> : null}
      </div>
      {shown.length > limit ? (
        <div className="rtable__more">
          <button type="button" className="btn btn--small" onClick={() => setLimit((l) => l + pageSize * 5)}>
            Show more ({(shown.length - limit).toLocaleString()} left)
          </button>
        </div>
      ) : null}
    </div>
  );
}
