/**
 * Address, credentials and limits of a live Go service, with Connect. The fields are controlled
 * by the dialog, which shares them between capturing and watching.
 */
import { useId, type FormEvent, type ReactNode } from 'react';
import type { ConnectionForm } from './connection';
import { NumberField } from './NumberField';

export interface ConnectionFieldsProps {
  form: ConnectionForm;
  onChange(patch: Partial<ConnectionForm>): void;
  onConnect(): void;
  busy: boolean;
  /** Shown under the Connect row (errors in place, remembered-credentials note). */
  children?: ReactNode;
  /** Whether credentials remembered for this session were filled in. */
  usingRemembered: boolean;
  onForget(): void;
}

export function ConnectionFields({ form, onChange, onConnect, busy, children, usingRemembered, onForget }: ConnectionFieldsProps) {
  const id = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onConnect();
  };
  return (
    <form className="live-connect" onSubmit={submit} aria-label="Live Go service" data-testid="live-connect-form">
      <div className="live-connect__row">
        <label className="live-field live-field--grow" htmlFor={`${id}-url`}>
          <span className="live-field__label">Address</span>
          <input
            id={`${id}-url`}
            className="live-input live-input--mono"
            type="text"
            inputMode="url"
            autoComplete="off"
            spellCheck={false}
            placeholder="localhost:6060 or http://host:port/debug/pprof/"
            value={form.url}
            onChange={(e) => onChange({ url: e.target.value })}
            data-testid="live-url"
          />
        </label>
        <label className="live-field" htmlFor={`${id}-auth`}>
          <span className="live-field__label">Authentication</span>
          <select
            id={`${id}-auth`}
            className="select"
            value={form.authKind}
            onChange={(e) => onChange({ authKind: e.target.value as ConnectionForm['authKind'] })}
            data-testid="live-auth-kind"
          >
            <option value="none">None</option>
            <option value="basic">Basic (user and password)</option>
            <option value="bearer">Bearer token</option>
          </select>
        </label>
        <button type="submit" className="btn btn--primary live-connect__go" disabled={busy || !form.url.trim()} data-testid="live-connect">
          {busy ? 'Connecting…' : 'Connect'}
        </button>
      </div>
      {form.authKind !== 'none' || usingRemembered ? (
        <div className="live-connect__row live-connect__row--wrap">
          {form.authKind === 'basic' ? (
            <>
              <label className="live-field" htmlFor={`${id}-user`}>
                <span className="live-field__label">User</span>
                <input id={`${id}-user`} className="live-input" type="text" autoComplete="off" spellCheck={false} value={form.username} onChange={(e) => onChange({ username: e.target.value })} data-testid="live-auth-user" />
              </label>
              <label className="live-field" htmlFor={`${id}-pass`}>
                <span className="live-field__label">Password</span>
                <input id={`${id}-pass`} className="live-input" type="password" autoComplete="off" value={form.password} onChange={(e) => onChange({ password: e.target.value })} data-testid="live-auth-password" />
              </label>
            </>
          ) : form.authKind === 'bearer' ? (
            <label className="live-field live-field--grow" htmlFor={`${id}-token`}>
              <span className="live-field__label">Token</span>
              <input id={`${id}-token`} className="live-input live-input--mono" type="password" autoComplete="off" spellCheck={false} value={form.token} onChange={(e) => onChange({ token: e.target.value })} data-testid="live-auth-token" />
            </label>
          ) : null}
          {form.authKind !== 'none' ? (
            <label className="live-check" title="Kept in this window's memory until Heapscope closes or the page reloads; never written to disk">
              <input type="checkbox" checked={form.remember} onChange={(e) => onChange({ remember: e.target.checked })} data-testid="live-auth-remember" />
              Remember for this session
            </label>
          ) : null}
          {form.authKind !== 'none' ? (
            <label className="live-check" title="Saved by Heapscope on this computer (the desktop app encrypts them with the OS keychain) and used for this address next time">
              <input type="checkbox" checked={form.save} onChange={(e) => onChange({ save: e.target.checked })} data-testid="live-auth-save" />
              Save on this computer
            </label>
          ) : null}
          {usingRemembered ? (
            <span className="live-note" data-testid="live-auth-remembered">
              Using the credentials remembered for this session ·{' '}
              <button type="button" className="link-button" onClick={onForget}>
                Forget
              </button>
            </span>
          ) : null}
        </div>
      ) : null}
      <details className="live-advanced">
        <summary>Limits</summary>
        <div className="live-connect__row live-connect__row--wrap">
          <NumberField id={`${id}-ct`} label="Connect timeout (s)" min="0.1" step="any" placeholder="10" value={form.connectTimeoutS} onChange={(v) => onChange({ connectTimeoutS: v })} testId="live-connect-timeout" />
          <NumberField
            id={`${id}-tt`}
            label="Total timeout (s)"
            min="0.1"
            step="any"
            placeholder="60"
            value={form.totalTimeoutS}
            onChange={(v) => onChange({ totalTimeoutS: v })}
            testId="live-total-timeout"
            inputTitle="For CPU and delta profiles the profiling time is added"
          />
          <NumberField id={`${id}-max`} label="Size limit (MiB)" min="1" step="any" placeholder="1024" value={form.maxMiB} onChange={(v) => onChange({ maxMiB: v })} testId="live-max-size" />
          <span className="live-note">Blank: the default. CPU and delta profiles get their seconds on top of the total timeout.</span>
        </div>
      </details>
      {children}
    </form>
  );
}
