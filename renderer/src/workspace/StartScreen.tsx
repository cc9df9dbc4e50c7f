import type { ReactNode } from 'react';

export interface StartScreenProps {
  onOpen(): void;
  onOpenDemo(): void;
  /** Capture from a live Go service (net/http/pprof). */
  onOpenUrl?(): void;
  busy: boolean;
  dragging: boolean;
  /** Errors from the last open, shown here where the action happened. */
  errors?: ReactNode;
  /** Recently opened files (reopened by path). */
  recent?: ReactNode;
  /** "Open a file on this machine" (serve: a path on the serving machine). */
  openPath?: ReactNode;
}

export function StartScreen({ onOpen, onOpenDemo, onOpenUrl, busy, dragging, errors, recent, openPath }: StartScreenProps) {
  return (
    <div className="start-screen" data-testid="start-screen">
      <div className="start-screen__inner">
        <h1 className="start-screen__title">Find the leak.</h1>
        <p className="start-screen__lead">
          Open Go heap, allocation and goroutine profiles (pprof, <code>debug=1</code>, <code>debug=2</code>), heap dumps and <code>gctrace</code> logs. Everything stays on
          this machine.
        </p>
        <div
          className={`drop-zone${dragging ? ' is-active' : ''}`}
          data-testid="drop-zone"
          role="button"
          tabIndex={0}
          aria-label="Drop profiles here, or press Enter to choose files"
          onClick={onOpen}
          onKeyDown={(e) => {
            if (e.key === 'Enter' || e.key === ' ') {
              e.preventDefault();
              onOpen();
            }
          }}
        >
          <svg className="drop-zone__icon" viewBox="0 0 48 48" aria-hidden="true">
            <path d="M24 31V9m0 0-8 8m8-8 8 8" fill="none" stroke="currentColor" strokeWidth="3" strokeLinecap="round" strokeLinejoin="round" />
            <path d="M9 29v7a3 3 0 0 0 3 3h24a3 3 0 0 0 3-3v-7" fill="none" stroke="currentColor" strokeWidth="3" strokeLinecap="round" />
          </svg>
          <div className="drop-zone__text">
            <strong>Drop profiles here</strong>
            <span>or click to choose files · .pb.gz, .pprof, heap and goroutine text dumps, heap dumps (.dump, .dump.gz), gctrace logs</span>
          </div>
        </div>
        <div className="start-screen__actions">
          <button type="button" className="btn btn--primary" onClick={onOpen} disabled={busy} data-testid="open-button" aria-label="Open profile files">
            Open files…
          </button>
          {onOpenUrl ? (
            <button type="button" className="btn" onClick={onOpenUrl} disabled={busy} data-testid="open-url" aria-label="Open URL: capture from a live Go service">
              Open URL…
            </button>
          ) : null}
          <button type="button" className="btn" onClick={onOpenDemo} disabled={busy} data-testid="open-demo" aria-label="Open demo investigation">
            Open demo investigation
          </button>
        </div>
        {openPath}
        {errors}
        <p className="start-screen__hint text-muted">
          The demo loads three heap profiles and two goroutine dumps from a Go service that leaks on purpose. Open URL captures live from a Go
          program serving <code>net/http/pprof</code>.
        </p>
        {recent}
      </div>
    </div>
  );
}
