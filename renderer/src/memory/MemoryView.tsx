/**
 * The accounting view: for each loaded item that carries runtime.MemStats (heap dumps, heap
 * profiles in their debug=1 form), where Sys goes (the breakdown, each part explained), the
 * matching heap profile's total beside it, and the resident memory, drawn as one stacked bar.
 */
import { useEffect, useState } from 'react';
import type { ApiClient } from '../../../shared/api/contract';
import type { LoadedItem } from '../../../shared/api/types';
import type { AccountWithProfile } from '../../../shared/memory/collect';
import { useApiCall } from '../status/tasks';
import { ErrorBanner } from '../status/ErrorBanner';
import { formatBytes } from '../lib/format';
import { itemsKey } from '../findings/useFindings';
import { StackedBar, segmentColor as legendColor, type BarRow } from './StackedBar';
import './memory.css';

const SOURCE_LABEL: Record<string, string> = {
  heapdump: 'heap dump (MemStats record)',
  'heap-debug1': 'heap profile debug=1 (# runtime.MemStats)',
  expvar: '/debug/vars',
  gctrace: 'gctrace',
};

function barRows(a: AccountWithProfile): BarRow[] {
  const { account, profile } = a;
  const rows: BarRow[] = [{ label: `${account.total.name} (runtime)`, segments: account.breakdown.map((p) => ({ name: p.name, bytes: p.bytes })), testId: 'bar-sys' }];
  if (profile) rows.push({ label: 'heap profile in use', segments: [{ name: 'heap profile (inuse_space)', bytes: profile.inuseSpace }], testId: 'bar-profile' });
  const released = account.breakdown.find((p) => p.name === 'heap released to the OS')?.bytes ?? 0;
  if (account.maxRss !== undefined) rows.push({ label: 'MaxRSS (peak resident)', segments: [{ name: 'resident (RSS)', bytes: account.maxRss }], testId: 'bar-rss' });
  else if (account.source !== 'gctrace') rows.push({ label: 'resident ≈ Sys − released', segments: [{ name: 'resident (RSS)', bytes: account.total.bytes - released }], testId: 'bar-rss' });
  return rows;
}

export function AccountCard({ a }: { a: AccountWithProfile }) {
  const { account, profile } = a;
  const legend = [...account.breakdown.map((p) => p.name), 'heap profile (inuse_space)', 'resident (RSS)'];
  const total = account.total.bytes;
  return (
    <section className="memory-card" data-testid="memory-account" data-source={account.source}>
      <header className="memory-card__head">
        <h3>{account.file}</h3>
        <span className="text-muted">{SOURCE_LABEL[account.source]}</span>
        <span className="memory-card__total" data-testid="memory-total">
          {account.total.name} {formatBytes(total)}
        </span>
      </header>
      <StackedBar rows={barRows(a)} legend={legend} />
      {profile ? (
        <p className="memory-card__gap" data-testid="memory-gap">
          The heap profile counts {formatBytes(profile.inuseSpace)} in use ({profile.file}); the runtime holds {formatBytes(total)}: the other{' '}
          {formatBytes(Math.max(0, total - profile.inuseSpace))} are the parts below.
        </p>
      ) : null}
      {account.freshness ? <p className="memory-card__fresh text-muted">{account.freshness.message}</p> : null}
      <table className="memory-table" data-testid="memory-breakdown">
        <thead>
          <tr>
            <th>part</th>
            <th className="num">bytes</th>
            <th className="num">share</th>
            <th>why</th>
          </tr>
        </thead>
        <tbody>
          {account.breakdown.map((p, i) => (
            <tr key={p.name} data-part={p.name}>
              <td>
                <span className="memory-legend__swatch" style={{ background: legendColor(i) }} /> {p.name}
              </td>
              <td className="num">{formatBytes(p.bytes)}</td>
              <td className="num">{total > 0 ? `${((p.bytes / total) * 100).toFixed(1)}%` : ''}</td>
              <td className="memory-table__why">{p.explanation}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ul className="memory-notes">
        {account.notes.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
    </section>
  );
}


export function MemoryView({ client, items }: { client: ApiClient; items: readonly LoadedItem[] }) {
  const call = useApiCall();
  const [accounts, setAccounts] = useState<AccountWithProfile[] | null>(null);
  const key = itemsKey(items);
  useEffect(() => {
    void call.run('Memory accounting', (o) => client.memory({}, o)).then((r) => r && setAccounts(r.accounts));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, key]);
  return (
    <div className="memory-view" data-testid="memory-view">
      <h2>Where the memory goes</h2>
      <p className="text-muted">
        runtime.MemStats of every heap dump and debug=1 heap profile in the workspace, broken down to Sys (all the memory the Go runtime obtained from the OS). A heap profile counts
        only live heap objects, sampled, as of the last GC.
      </p>
      {call.error ? <ErrorBanner error={call.error} onDismiss={call.clearError} /> : null}
      {accounts === null ? <p className="text-muted">Reading MemStats…</p> : null}
      {accounts !== null && accounts.length === 0 ? (
        <p data-testid="memory-empty">No MemStats here: open a heap dump, or a heap profile captured with debug=1 (its # runtime.MemStats block).</p>
      ) : null}
      {accounts?.map((a) => <AccountCard key={a.account.file} a={a} />)}
    </div>
  );
}
