/** A percentage bar behind a cell's text (decorative): `part` of `whole`, clamped to [0, 1]. */
export function PctBar({ part, whole }: { part: number; whole: number }) {
  const f = whole > 0 ? Math.max(0, Math.min(1, part / whole)) : 0;
  return <span className="pct-bar" aria-hidden="true" style={{ width: `calc((100% - 6px) * ${f})` }} />;
}
