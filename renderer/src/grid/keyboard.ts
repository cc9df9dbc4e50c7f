/**
 * The grid's keyboard, as a pure function: which row a key moves the cursor to, or what it does to
 * the tree. ↑/↓, PageUp/PageDown, Home/End move; in a tree → expands (or steps into the first
 * child) and ← collapses (or steps to the parent); Enter and Space activate.
 */
import type { GridTree } from './columns';

export type GridKeyAction<T> =
  | { kind: 'move'; to: number }
  | { kind: 'toggle'; row: T; expand: boolean }
  | { kind: 'activate'; row: T }
  /** The key is the grid's, but there is nowhere to go (a leaf's →, a top row's ←, no rows). */
  | { kind: 'stay' }
  | null;

export interface GridKeyContext<T> {
  /** The rows in display order. */
  rows: readonly T[];
  /** The cursor's index, -1 for none. */
  cursor: number;
  /** Rows a page key moves. */
  page: number;
  tree?: GridTree<T> | undefined;
  /** The row's index by row id (tree: the parent). */
  indexOf(id: string): number;
  canActivate: boolean;
}

/** What `key` does; null when the grid leaves it alone. A move's index is clamped to the rows. */
export function gridKeyAction<T>(key: string, c: GridKeyContext<T>): GridKeyAction<T> {
  const { rows, cursor: cur, page, tree } = c;
  const from = cur < 0 ? 0 : cur;
  const move = (to: number): GridKeyAction<T> => (rows.length ? { kind: 'move', to: Math.max(0, Math.min(rows.length - 1, to)) } : { kind: 'stay' });
  const r = cur >= 0 ? rows[cur] ?? null : null;
  switch (key) {
    case 'ArrowDown':
      return move(cur < 0 ? 0 : cur + 1);
    case 'ArrowUp':
      return move(cur < 0 ? 0 : cur - 1);
    case 'PageDown':
      return move(from + page);
    case 'PageUp':
      return move(from - page);
    case 'Home':
      return move(0);
    case 'End':
      return move(rows.length - 1);
    case 'ArrowRight':
      if (!tree || r === null) return null;
      if (tree.expandable(r) && !tree.expanded(r)) return { kind: 'toggle', row: r, expand: true };
      if (tree.expanded(r) && cur + 1 < rows.length && tree.level(rows[cur + 1]!) > tree.level(r)) return move(cur + 1);
      return { kind: 'stay' };
    case 'ArrowLeft': {
      if (!tree || r === null) return null;
      if (tree.expandable(r) && tree.expanded(r)) return { kind: 'toggle', row: r, expand: false };
      const p = tree.parentId(r);
      const pi = p === null ? -1 : c.indexOf(p);
      return pi >= 0 ? move(pi) : { kind: 'stay' };
    }
    case 'Enter':
    case ' ':
      return r !== null && c.canActivate ? { kind: 'activate', row: r } : null;
    default:
      return null;
  }
}
