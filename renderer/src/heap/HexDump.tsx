/**
 * Object contents as a classic hex dump (xxd's layout): offset, 16 bytes a row in groups of two,
 * ASCII column.
 * Bytes are data: every character reaches the DOM as a text node. Words that hold an outgoing
 * pointer are tinted (hover says where they point).
 */
import { useMemo } from 'react';
import { asciiOf, hexToBytes } from './format';

export interface HexDumpProps {
  hex: string;
  /** The object's full size (the dump may hold only the first bytes). */
  size: number;
  /** Byte offset of each pointer word → what it points to. */
  pointers: ReadonlyMap<number, string>;
  ptrSize: number;
}

export function HexDump({ hex, size, pointers, ptrSize }: HexDumpProps) {
  const bytes = useMemo(() => hexToBytes(hex), [hex]);
  const digits = Math.max(4, Math.max(0, size - 1).toString(16).length);
  const ptrAt = useMemo(() => {
    const m = new Map<number, { start: number; target: string }>();
    for (const [off, target] of pointers) for (let k = 0; k < ptrSize; k++) m.set(off + k, { start: off, target });
    return m;
  }, [pointers, ptrSize]);

  if (!bytes.length) return <div className="panel__empty">Contents are not available for this object.</div>;
  const rows: number[] = [];
  for (let o = 0; o < bytes.length; o += 16) rows.push(o);
  return (
    <div className="hex-dump" data-testid="hex-dump" aria-label={`Contents, first ${bytes.length} of ${size} bytes`} role="table">
      {rows.map((o) => {
        const cells = Array.from(bytes.subarray(o, o + 16));
        return (
          <div key={o} className="hex-row" data-testid="hex-row" role="row">
            <span className="hex-off" role="rowheader">
              {o.toString(16).padStart(digits, '0')}
            </span>
            {' '}
            <span className="hex-bytes" role="cell">
              {Array.from({ length: 16 }, (_, i) => {
                // xxd layout: 8 groups of 2 bytes
                const sep = i > 0 && i % 2 === 0 ? ' ' : '';
                if (i >= cells.length) return <span key={i}>{`${sep}  `}</span>;
                const p = ptrAt.get(o + i);
                return (
                  <span key={i}>
                    {sep}
                    <span className={`hex-byte${p ? ' is-ptr' : ''}`} title={p ? `pointer at +0x${p.start.toString(16)} → ${p.target}` : undefined}>
                      {cells[i]!.toString(16).padStart(2, '0')}
                    </span>
                  </span>
                );
              })}
            </span>
            {'  '}
            <span className="hex-ascii" role="cell">
              {cells.map(asciiOf).join('')}
            </span>
          </div>
        );
      })}
    </div>
  );
}
