import { useEffect, useState } from 'react';
import type { AppInfo } from '../../../shared/api/types';
import { useTasks, type TaskView } from './tasks';
import type { Notice } from './useNotice';

/** Tasks shorter than this never flash a progress bar. */
const SHOW_AFTER_MS = 150;

function TaskProgress({ task }: { task: TaskView }) {
  const p = task.progress;
  const determinate = !!p && p.total > 0;
  const pct = determinate ? Math.min(100, Math.max(0, (100 * p.done) / p.total)) : 0;
  const label = p?.label || task.label;
  return (
    <div className="task" data-testid="progress-bar">
      <span className="task__label" title={label}>
        {label}
      </span>
      <div
        className={`progress${determinate ? '' : ' progress--indeterminate'}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        {...(determinate ? { 'aria-valuenow': Math.round(pct) } : {})}
      >
        <div className="progress__fill" style={determinate ? { width: `${pct}%` } : undefined} />
      </div>
      {determinate ? <span className="task__pct">{Math.round(pct)}%</span> : null}
      <button type="button" className="btn btn--small btn--ghost" onClick={task.cancel} aria-label={`Cancel ${task.label}`} data-testid="progress-cancel">
        Cancel
      </button>
    </div>
  );
}

export function StatusBar({ info, notice }: { info: AppInfo | null; notice?: Notice | null }) {
  const { tasks } = useTasks();
  const [, tick] = useState(0);
  const now = performance.now();
  const visible = tasks.filter((t) => t.progress || now - t.startedAt >= SHOW_AFTER_MS);
  const pending = tasks.length > visible.length;
  useEffect(() => {
    if (!pending) return;
    const t = setTimeout(() => tick((x) => x + 1), SHOW_AFTER_MS);
    return () => clearTimeout(t);
  }, [pending, tasks]);

  return (
    <footer className="status-bar" aria-label="Status">
      <div className="status-bar__tasks" aria-live="polite">
        {visible.slice(-3).map((t) => (
          <TaskProgress key={t.id} task={t} />
        ))}
        {visible.length > 3 ? <span className="text-muted">+{visible.length - 3} more</span> : null}
        {notice ? (
          <span key={notice.id} className="status-notice" title={notice.text} data-testid="status-notice">
            {notice.text}
          </span>
        ) : null}
        {visible.length === 0 && !notice ? <span className="text-muted">Ready</span> : null}
      </div>
      <div className="status-bar__info text-muted">
        {info ? `Heapscope ${info.version} · ${info.transport === 'ipc' ? 'desktop' : 'browser (heapscope serve)'}` : 'Heapscope'}
      </div>
    </footer>
  );
}
