/** The inspector's "What it retains, by allocation site / size class" buttons (a root's or an object's set). */
import type { HeapSelection } from './selection';

export interface GroupRetainedProps {
  target: HeapSelection;
  objects: number;
  onGroupRetained(s: HeapSelection, mode: 'sites' | 'sizes'): void;
}

export function GroupRetained({ target, objects, onGroupRetained }: GroupRetainedProps) {
  if (objects < 1) return null;
  return (
    <div className="inspector__actions" role="group" aria-label={`Group what ${target.label} retains`}>
      <span className="text-muted">What it retains, by</span>
      <button type="button" className="btn btn--small" onClick={() => onGroupRetained(target, 'sites')} data-testid="group-retained-sites">
        allocation site
      </button>
      <button type="button" className="btn btn--small" onClick={() => onGroupRetained(target, 'sizes')}>
        size class
      </button>
    </div>
  );
}
