/**
 * The report's type histogram of a heap dump: objects by Go type (named from the binary's DWARF)
 * with count, shallow and retained bytes of the set; or why types are not available.
 */
import { useMemo } from 'react';
import type { HeapTypesView } from '../../shared/report/model';
import { formatBytes } from '../src/lib/format';
import { Table, type Column } from './Table';

type Row = HeapTypesView['rows'][number];

export function TypesHistogram({ types }: { types: HeapTypesView }) {
  const columns = useMemo<Array<Column<Row>>>(
    () => [
      { id: 'name', header: 'Type', value: (r) => r.name, render: (r) => <code>{r.name}</code> },
      { id: 'count', header: 'Objects', numeric: true, value: (r) => r.count, render: (r) => r.count.toLocaleString() },
      { id: 'bytes', header: 'Shallow', numeric: true, value: (r) => r.bytes, render: (r) => formatBytes(r.bytes) },
      { id: 'retained', header: 'Retained', numeric: true, value: (r) => r.retainedBytes, render: (r) => formatBytes(r.retainedBytes) },
    ],
    [],
  );
  if (types.unavailable) return <p className="text-muted" data-testid="report-types-unavailable">Object types are not named: {types.unavailable}</p>;
  return (
    <>
      <p className="text-muted">
        {(types.typedBytesShare * 100).toFixed(1)}% of the reachable bytes typed; the {types.rows.length} biggest of {types.total.toLocaleString()} types.
      </p>
      <Table rows={types.rows} columns={columns} initialSort={{ id: 'retained', desc: true }} filterText={(r) => r.name} testId="report-types" rowTestId="report-type-row" label="Objects by Go type" />
    </>
  );
}
