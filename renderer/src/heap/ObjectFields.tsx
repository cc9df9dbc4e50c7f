/**
 * The inspector's named fields of a typed object (from the binary's DWARF): name, Go type and value
 * read from the dump; pointer fields into the heap are links; strings show as text, truncated.
 * Values come from the dump: rendered as text only.
 */
import type { FieldRow } from '../../../shared/heap/types';
import { offsetLabel } from './format';
import { ColumnHeads } from '../controls/ColumnHeads';

export function ObjectFields({ fields, onFollow }: { fields: FieldRow[]; onFollow(node: number, address: string): void }) {
  if (!fields.length) return <div className="text-muted inspector__none">No fields (a type with no layout, or an unknown type).</div>;
  return (
    <table className="fields-table" data-testid="object-fields" aria-label="Fields of the object">
      <ColumnHeads columns={['Offset', 'Field', 'Type', 'Value']} />
      <tbody>
        {fields.map((f, i) => (
          <tr key={`${f.offset}:${f.name}:${i}`} data-testid="field-row" data-field={f.name}>
            <td className="mono text-muted">{offsetLabel(f.offset)}</td>
            <td className="mono">{f.name || '(value)'}</td>
            <td className="mono text-muted" title={f.type}>
              {f.type}
            </td>
            <td className="mono fields-table__value" title={f.value}>
              {f.node !== undefined && f.address ? (
                <button type="button" className="link-button mono" onClick={() => onFollow(f.node!, f.address!)} title="Follow the pointer" data-testid="field-follow">
                  {f.value || f.address}
                </button>
              ) : (
                f.value
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
