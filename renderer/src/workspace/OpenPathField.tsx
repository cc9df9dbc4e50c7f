/**
 * "Open a file on this machine" (heapscope serve): a path on the serving machine, typed with
 * completion of directory entries, opened where it is. A big dump on a remote box never crosses
 * the network. The host lists names only (browsePath) and opens only the path the user submits.
 *
 * Keys: Tab completes the longest common prefix (a folder gets its separator); ↑/↓ pick an entry;
 * Enter opens the picked entry (a folder is entered) or the typed path; Escape closes the list.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { ApiClient } from '../../../shared/api/contract';
import type { PathCompletion, PathEntry } from '../../../shared/api/upload';
import { describeError, toErrorInfo } from '../../../shared/errors';
import { formatSize } from '../api/upload-progress';
import './open-path.css';

export interface OpenPathFieldProps {
  client: ApiClient;
  busy: boolean;
  onOpen(path: string): void;
  autoFocus?: boolean;
}

function commonPrefix(names: string[]): string {
  if (!names.length) return '';
  let p = names[0]!;
  for (const n of names) while (!n.startsWith(p)) p = p.slice(0, -1);
  return p;
}

export function OpenPathField({ client, busy, onOpen, autoFocus }: OpenPathFieldProps) {
  const [value, setValue] = useState('');
  const [list, setList] = useState<PathCompletion | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [active, setActive] = useState(-1);
  const [shown, setShown] = useState(false);
  const seq = useRef(0);
  const input = useRef<HTMLInputElement>(null);
  const listId = useId();

  // Focused once mounted, after the commit's layout effects (a dialog holding the field is shown
  // by then: React's own autoFocus runs before them, on a still-closed dialog).
  useEffect(() => {
    if (autoFocus) input.current?.focus();
  }, []);

  // Completion follows what is typed (debounced; only the newest answer counts).
  useEffect(() => {
    if (!shown) return;
    const mine = ++seq.current;
    const t = setTimeout(() => {
      client.browsePath({ path: value }).then(
        (r) => {
          if (mine !== seq.current) return;
          setList(r);
          setProblem(null);
          setActive(-1);
        },
        (e: unknown) => {
          if (mine !== seq.current) return;
          setList(null);
          setProblem(describeError(toErrorInfo(e)));
        },
      );
    }, 120);
    return () => clearTimeout(t);
  }, [client, value, shown]);

  const entries = list?.entries ?? [];
  const sep = list?.sep ?? '/';

  const choose = (e: PathEntry) => {
    if (e.kind === 'dir') {
      setValue(e.path + sep);
      setShown(true);
      input.current?.focus();
    } else {
      setValue(e.path);
      setShown(false);
      onOpen(e.path);
    }
  };

  const submit = () => {
    const p = value.trim();
    if (!p || busy) return;
    setShown(false);
    onOpen(p);
  };

  const complete = (): boolean => {
    if (!list || !entries.length) return false;
    const prefix = commonPrefix(entries.map((e) => e.name));
    const only = entries.length === 1 ? entries[0]! : null;
    const next = only ? only.path + (only.kind === 'dir' ? sep : '') : list.dir + prefix;
    if (next.length <= value.length) return false;
    setValue(next);
    return true;
  };

  return (
    <form
      className="open-path"
      data-testid="open-path"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label className="open-path__label" htmlFor={`${listId}-input`}>
        Open a file on this machine
      </label>
      <div className="open-path__row">
        <div className="open-path__combo">
          <input
            id={`${listId}-input`}
            ref={input}
            className="open-path__input"
            data-testid="open-path-input"
            type="text"
            role="combobox"
            aria-expanded={shown && entries.length > 0}
            aria-controls={`${listId}-list`}
            aria-autocomplete="list"
            {...(active >= 0 ? { 'aria-activedescendant': `${listId}-${active}` } : {})}
            placeholder="/path/on/the/server/heap.dump"
            spellCheck={false}
            autoComplete="off"
            value={value}
            onFocus={() => setShown(true)}
            onBlur={() => setTimeout(() => setShown(false), 150)}
            onChange={(e) => {
              setValue(e.target.value);
              setShown(true);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Tab' && !e.shiftKey && shown) {
                if (complete()) e.preventDefault();
              } else if (e.key === 'ArrowDown' && entries.length) {
                e.preventDefault();
                setShown(true);
                setActive((a) => Math.min(entries.length - 1, a + 1));
              } else if (e.key === 'ArrowUp' && entries.length) {
                e.preventDefault();
                setActive((a) => Math.max(-1, a - 1));
              } else if (e.key === 'Enter' && shown && active >= 0 && entries[active]) {
                e.preventDefault();
                choose(entries[active]!);
              } else if (e.key === 'Escape') {
                setShown(false);
              }
            }}
          />
          {shown && entries.length > 0 ? (
            <ul className="open-path__list" id={`${listId}-list`} role="listbox" data-testid="open-path-list">
              {entries.map((e, i) => (
                <li
                  key={e.path}
                  id={`${listId}-${i}`}
                  role="option"
                  aria-selected={i === active}
                  className={`open-path__entry open-path__entry--${e.kind}${i === active ? ' is-active' : ''}`}
                  data-testid="open-path-entry"
                  data-kind={e.kind}
                  onMouseDown={(ev) => {
                    ev.preventDefault();
                    choose(e);
                  }}
                >
                  <span className="open-path__name">
                    <bdi>{e.name}</bdi>
                    {e.kind === 'dir' ? sep : ''}
                  </span>
                  {e.sizeBytes !== undefined ? <span className="open-path__size text-muted">{formatSize(e.sizeBytes)}</span> : null}
                </li>
              ))}
              {list?.truncated ? <li className="open-path__more text-muted">more entries: type more of the name</li> : null}
            </ul>
          ) : null}
        </div>
        <button type="submit" className="btn" disabled={busy || !value.trim()} data-testid="open-path-submit">
          Open
        </button>
      </div>
      {problem && shown ? (
        <div className="open-path__problem text-muted" data-testid="open-path-problem">
          {problem}
        </div>
      ) : (
        <div className="open-path__hint text-muted">Opened where it is on the server: nothing is uploaded. Tab completes.</div>
      )}
    </form>
  );
}
