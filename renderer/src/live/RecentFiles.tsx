/**
 * Recently opened files (the host's list, newest first) for the start screen. A click opens the
 * file again by its path; a file that is gone or unreadable says so on its own row.
 * Paths and names are text only.
 */
import { useEffect, useState } from 'react';
import type { ApiClient } from '../../../shared/api/contract';
import type { OpenFailure, OpenResult, RecentFile } from '../../../shared/api/types';
import { ErrorBanner } from '../status/ErrorBanner';
import { useApiCall } from '../status/tasks';

const SHOWN = 8;

export function relativeTime(ms: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  if (s < 2 * 86_400) return 'yesterday';
  return new Date(ms).toLocaleDateString();
}

/** The folder a file is in (the row shows the name apart); its tail stays visible (CSS). */
export function folderOf(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i > 0 ? p.slice(0, i) : p;
}

function kindLabel(r: RecentFile): { label: string; cls: string } {
  if (r.kind === 'heapdump') return { label: 'heap dump', cls: 'heapdump' };
  if (r.kind === 'gctrace') return { label: 'gctrace', cls: 'gctrace' };
  return { label: r.profileKind === 'unknown' ? 'profile' : r.profileKind, cls: r.profileKind };
}

export function RecentFiles({ client, onOpened }: { client: ApiClient; onOpened(r: OpenResult): void }) {
  const [recent, setRecent] = useState<RecentFile[] | null>(null);
  const listCall = useApiCall();
  const openCall = useApiCall();
  /** The row last clicked: its errors show under it. */
  const [tried, setTried] = useState<string | null>(null);
  const [failure, setFailure] = useState<OpenFailure | null>(null);

  useEffect(() => {
    void listCall.run('Reading recent files', (o) => client.recentFiles({}, o)).then((r) => r && setRecent(r));
  }, [client, listCall.run]);

  const open = (r: RecentFile) => {
    setTried(r.path);
    setFailure(null);
    void openCall.run(`Opening ${r.name}`, (o) => client.openFiles({ paths: [r.path] }, o)).then((res) => {
      if (!res) return;
      if (res.failures.length) setFailure(res.failures[0]!);
      if (res.items.length) onOpened({ items: res.items, failures: [] });
    });
  };

  if (listCall.error) {
    return (
      <section className="recent" aria-label="Recent files">
        <ErrorBanner title="Recent files" error={listCall.error} onDismiss={listCall.clearError} />
      </section>
    );
  }
  if (!recent || recent.length === 0) return null;
  return (
    <section className="recent" aria-label="Recent files">
      <h2 className="section-title">Recent</h2>
      <ul className="recent__list" data-testid="recent-files">
        {recent.slice(0, SHOWN).map((r) => {
          const k = kindLabel(r);
          const here = tried === r.path;
          const failed = here ? failure : null;
          const openingThis = here && openCall.busy;
          return (
            <li key={r.path} className={`recent__item${failed ? ' has-error' : ''}`} data-testid="recent-file" data-path={r.path}>
              <button type="button" className="recent__open" onClick={() => open(r)} disabled={openCall.busy} title={r.path} aria-label={`Open ${r.name} again (${r.path})`}>
                <span className={`kind-badge kind-badge--${k.cls}`}>{k.label}</span>
                <span className="recent__name">{r.name}</span>
                <span className="recent__path text-muted">
                  <bdi>{folderOf(r.path)}</bdi>
                </span>
                <span className="recent__time text-muted">{openingThis ? 'opening…' : relativeTime(r.openedAt)}</span>
              </button>
              {failed ? (
                <div className="recent__error" data-testid="recent-error">
                  <ErrorBanner title="Could not open" error={{ ...failed.error, file: failed.error.file ?? r.name }} onDismiss={() => setFailure(null)} />
                </div>
              ) : here && openCall.error ? (
                <div className="recent__error" data-testid="recent-error">
                  <ErrorBanner title="Could not open" error={openCall.error} onDismiss={openCall.clearError} />
                </div>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

