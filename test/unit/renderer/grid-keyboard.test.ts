/** The one grid's keyboard (renderer/src/grid/keyboard.ts): moves, page keys, tree keys, Enter. */
import { describe, expect, it } from 'vitest';
import type { GridTree } from '../../../renderer/src/grid/columns';
import { gridKeyAction, type GridKeyContext } from '../../../renderer/src/grid/keyboard';

interface Row {
  id: string;
  level: number;
  parent: string | null;
  kids: boolean;
  open: boolean;
}

const flat: Row[] = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, level: 1, parent: null, kids: false, open: false }));

function ctx(rows: Row[], cursor: number, extra: Partial<GridKeyContext<Row>> = {}): GridKeyContext<Row> {
  return { rows, cursor, page: 2, indexOf: (id) => rows.findIndex((r) => r.id === id), canActivate: false, ...extra };
}

const tree: GridTree<Row> = {
  level: (r) => r.level,
  expandable: (r) => r.kids,
  expanded: (r) => r.open,
  toggle: () => undefined,
  parentId: (r) => r.parent,
};

describe('grid keyboard', () => {
  it('moves the cursor and clamps at both ends', () => {
    expect(gridKeyAction('ArrowDown', ctx(flat, -1))).toEqual({ kind: 'move', to: 0 });
    expect(gridKeyAction('ArrowDown', ctx(flat, 1))).toEqual({ kind: 'move', to: 2 });
    expect(gridKeyAction('ArrowDown', ctx(flat, 4))).toEqual({ kind: 'move', to: 4 });
    expect(gridKeyAction('ArrowUp', ctx(flat, 0))).toEqual({ kind: 'move', to: 0 });
    expect(gridKeyAction('ArrowUp', ctx(flat, 3))).toEqual({ kind: 'move', to: 2 });
    expect(gridKeyAction('PageDown', ctx(flat, 1))).toEqual({ kind: 'move', to: 3 });
    expect(gridKeyAction('PageDown', ctx(flat, 4))).toEqual({ kind: 'move', to: 4 });
    expect(gridKeyAction('PageUp', ctx(flat, 1))).toEqual({ kind: 'move', to: 0 });
    expect(gridKeyAction('PageUp', ctx(flat, -1))).toEqual({ kind: 'move', to: 0 });
    expect(gridKeyAction('Home', ctx(flat, 3))).toEqual({ kind: 'move', to: 0 });
    expect(gridKeyAction('End', ctx(flat, 0))).toEqual({ kind: 'move', to: 4 });
  });

  it('keeps its keys on an empty grid, and leaves other keys alone', () => {
    expect(gridKeyAction('ArrowDown', ctx([], -1))).toEqual({ kind: 'stay' });
    expect(gridKeyAction('x', ctx(flat, 1))).toBeNull();
    expect(gridKeyAction('ArrowRight', ctx(flat, 1))).toBeNull(); // not a tree
  });

  it('activates on Enter and Space only when the grid has an action', () => {
    expect(gridKeyAction('Enter', ctx(flat, 2))).toBeNull();
    expect(gridKeyAction('Enter', ctx(flat, 2, { canActivate: true }))).toEqual({ kind: 'activate', row: flat[2] });
    expect(gridKeyAction(' ', ctx(flat, 0, { canActivate: true }))).toEqual({ kind: 'activate', row: flat[0] });
    expect(gridKeyAction('Enter', ctx(flat, -1, { canActivate: true }))).toBeNull();
  });

  it('expands, steps in, collapses and steps out in a tree', () => {
    const rows: Row[] = [
      { id: 'r', level: 1, parent: null, kids: true, open: true },
      { id: 'c1', level: 2, parent: 'r', kids: true, open: false },
      { id: 'c2', level: 2, parent: 'r', kids: false, open: false },
      { id: 's', level: 1, parent: null, kids: true, open: false },
    ];
    const t = (cursor: number, key: string) => gridKeyAction(key, ctx(rows, cursor, { tree }));
    expect(t(1, 'ArrowRight')).toEqual({ kind: 'toggle', row: rows[1], expand: true });
    expect(t(0, 'ArrowRight')).toEqual({ kind: 'move', to: 1 });
    expect(t(2, 'ArrowRight')).toEqual({ kind: 'stay' });
    expect(t(0, 'ArrowLeft')).toEqual({ kind: 'toggle', row: rows[0], expand: false });
    expect(t(2, 'ArrowLeft')).toEqual({ kind: 'move', to: 0 });
    expect(t(3, 'ArrowLeft')).toEqual({ kind: 'stay' });
    expect(t(-1, 'ArrowLeft')).toBeNull();
  });
});
