/** Signed changes in human units: "+512 KiB", "−3", "±0"; red up, blue-green down; change columns. */
import type { ColumnHelper, RowData } from '@tanstack/react-table';
import type { Presence } from '../../../shared/compare/types';
import { numberColumn, type GridFeatures } from '../grid/columns';
import { formatBytes, formatCount, formatPercent, formatValue } from '../lib/format';

export function sign(v: number): string {
  return v > 0 ? '+' : v < 0 ? '−' : '±';
}

/** "+512 KiB" in the unit of a sample type. */
export function signed(v: number, unit: string): string {
  return `${sign(v)}${formatValue(Math.abs(v), unit)}`;
}

export function signedBytes(v: number): string {
  return `${sign(v)}${formatBytes(Math.abs(v))}`;
}

export function signedCount(v: number): string {
  return `${sign(v)}${formatCount(Math.abs(v))}`;
}

/** "+81.55%" of a base; "–" without one. */
export function signedPercent(v: number, base: number): string {
  if (!base) return '–';
  return `${sign(v)}${formatPercent(Math.abs(v), base)}`;
}

export function deltaClass(v: number): string {
  return `delta ${v > 0 ? 'delta--up' : v < 0 ? 'delta--down' : 'delta--zero'}`;
}

export function Delta({ value, base, unit, text }: { value: number; base?: number; unit: string; text?: string }) {
  const s = sign(value);
  return (
    <span className={deltaClass(value)}>
      {text ?? `${s}${formatValue(Math.abs(value), unit)}`}
      {base ? (
        <span className="delta__pct">
          {' '}
          ({s}
          {formatPercent(Math.abs(value), base)})
        </span>
      ) : null}
    </span>
  );
}

const PRESENCE_HELP: Record<Presence, string> = {
  new: 'Only in the target (B)',
  gone: 'Only in the base (A)',
  both: 'In both',
};

/** A "new" / "gone" tag; nothing for "both". */
export function PresenceTag({ status }: { status: Presence }) {
  if (status === 'both') return null;
  return (
    <span className={`presence-tag presence-tag--${status}`} title={PRESENCE_HELP[status]} data-testid="presence-tag" data-status={status}>
      {status}
    </span>
  );
}

/** A bar for |delta| / max, red for growth, blue for shrinkage (decorative). */
export function DeltaBar({ value, max }: { value: number; max: number }) {
  const f = max > 0 ? Math.max(0, Math.min(1, Math.abs(value) / max)) : 0;
  if (!f) return null;
  return <span className={`delta-bar ${value > 0 ? 'delta-bar--up' : 'delta-bar--down'}`} aria-hidden="true" style={{ width: `calc((100% - 6px) * ${f})` }} />;
}

export interface DeltaColumnOptions {
  /** The bar's full width: the largest |change| of the rows. */
  max: number;
  /** "+512 KiB", "+3". */
  format(v: number): string;
  /** A tooltip on the number. */
  title?(v: number): string;
  /** A test id on the number. */
  testId?: string;
}

/** A change column: the signed number in its colour over a bar for |change| / max. */
export function deltaColumn<T extends RowData>(h: ColumnHelper<GridFeatures, T>, id: string, header: string, value: (r: T) => number, o: DeltaColumnOptions) {
  return numberColumn(h, id, header, value, (v) => (
    <>
      <DeltaBar value={v} max={o.max} />
      <span className={deltaClass(v)} title={o.title?.(v)} data-testid={o.testId}>
        {o.format(v)}
      </span>
    </>
  ));
}
