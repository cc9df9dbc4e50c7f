/**
 * What stands before a tree row's first cell (or its spanning cell): the indent, a depth marker
 * past the deepest indent, and the expand/collapse toggle (a pointer target only; the keyboard
 * uses → and ←).
 */
const INDENT = 14;
/** Deeper levels (a linked list's chain) stop indenting; a depth marker says how deep. */
const MAX_INDENT_LEVELS = 10;
/** The toggle's width: a spanning row's text lines up with the first cell's text. */
const TOGGLE_WIDTH = 18;

function indentOf(level: number): number {
  return Math.min(level - 1, MAX_INDENT_LEVELS) * INDENT;
}

/** The indent of a spanning row ("show 50 more"): as deep as a sibling's text. */
export function SpanIndent({ level }: { level: number }) {
  return <span className="tree-indent" style={{ width: indentOf(level) + TOGGLE_WIDTH }} aria-hidden="true" />;
}

export interface TreePrefixProps {
  level: number;
  expandable: boolean;
  expanded: boolean;
  onToggle(): void;
}

export function TreePrefix({ level, expandable, expanded, onToggle }: TreePrefixProps) {
  return (
    <>
      <span className="tree-indent" style={{ width: indentOf(level) }} aria-hidden="true" />
      {level - 1 > MAX_INDENT_LEVELS ? (
        <span className="tree-depth" title={`Depth ${level}`} aria-hidden="true">
          {level}
        </span>
      ) : null}
      {expandable ? (
        <button
          type="button"
          className={`tree-toggle${expanded ? ' is-expanded' : ''}`}
          tabIndex={-1}
          aria-hidden="true"
          onClick={(e) => {
            e.stopPropagation();
            onToggle();
          }}
        >
          <svg viewBox="0 0 10 10">
            <path d="M3 1.5 7 5 3 8.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
        </button>
      ) : (
        <span className="tree-toggle tree-toggle--leaf" aria-hidden="true" />
      )}
    </>
  );
}
