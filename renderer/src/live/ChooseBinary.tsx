/**
 * "Choose binary…" for a heap dump whose globals are unnamed: the program's executable names them.
 * Desktop: the native file dialog (pickFiles, purpose "executable"). Browser (heapscope serve runs
 * on this machine): a path typed into a field. Either way attachExecutable reloads the dump with
 * it; errors show here, in the host's words.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ApiClient } from '../../../shared/api/contract';
import type { LoadedItem } from '../../../shared/api/types';
import { toErrorInfo, type ErrorInfo } from '../../../shared/errors';
import { ErrorBanner } from '../status/ErrorBanner';
import { useApiCall } from '../status/tasks';
import { useAppInfo } from './useAppInfo';

export interface ChooseBinaryProps {
  client: ApiClient;
  item: LoadedItem;
  onAttached(item: LoadedItem): void;
}

export function ChooseBinary({ client, item, onAttached }: ChooseBinaryProps) {
  const id = useId();
  const info = useAppInfo(client);
  const call = useApiCall();
  const [typing, setTyping] = useState(false);
  const [path, setPath] = useState('');
  const [pickError, setPickError] = useState<ErrorInfo | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (typing) input.current?.focus();
  }, [typing]);

  const attach = (exe: string) => {
    setPickError(null);
    void call.run(`Naming globals with ${exe}`, (o) => client.attachExecutable({ handle: item.handle, exe }, o)).then((it) => it && onAttached(it));
  };

  const choose = () => {
    if (!info?.canPickFiles) {
      setTyping(true);
      return;
    }
    setPickError(null);
    client.pickFiles({ purpose: 'executable' }).then(
      ({ paths }) => {
        if (paths[0]) attach(paths[0]);
      },
      (e) => setPickError(toErrorInfo(e)),
    );
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const p = path.trim();
    if (p) attach(p);
  };

  const error = pickError ?? call.error;
  return (
    <div className="choose-binary" data-testid="choose-binary-box">
      {typing ? (
        <form className="choose-binary__form" onSubmit={submit}>
          <label className="live-field live-field--grow" htmlFor={`${id}-path`}>
            <span className="live-field__label">Binary on this machine</span>
            <input
              id={`${id}-path`}
              className="live-input live-input--mono"
              type="text"
              autoComplete="off"
              spellCheck={false}
              placeholder="/path/to/the/program"
              value={path}
              onChange={(e) => setPath(e.target.value)}
              disabled={call.busy}
              data-testid="binary-path"
              ref={input}
            />
          </label>
          <button type="submit" className="btn btn--small btn--primary" disabled={call.busy || !path.trim()} data-testid="binary-attach">
            {call.busy ? 'Reading…' : 'Name globals'}
          </button>
          <button type="button" className="btn btn--small btn--ghost" onClick={() => setTyping(false)} disabled={call.busy}>
            Cancel
          </button>
        </form>
      ) : (
        <button type="button" className="btn btn--small" onClick={choose} disabled={call.busy || !info} data-testid="choose-binary">
          {call.busy ? 'Reading the binary…' : 'Choose binary…'}
        </button>
      )}
      {error ? (
        <div className="choose-binary__error" data-testid="binary-error">
          <ErrorBanner
            title="Could not use that binary"
            error={error}
            onDismiss={() => {
              setPickError(null);
              call.clearError();
            }}
          />
        </div>
      ) : null}
    </div>
  );
}
