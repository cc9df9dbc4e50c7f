/**
 * Heap-dump allocation sites link to their source: the heap view's allocation sites and the object
 * inspector's allocation stack render a SourceLink (file:line); clicking it opens the same Source
 * panel as a profile's function (by file and line: `sourceView` with `file` + `line`), in a modal
 * dialog over the heap view. The host reads the file only under GOROOT, the module cache and the
 * folders the user chose (serve --source-root, or "Choose folder" in the panel).
 *
 * The heap view provides the context (HeapSourceProvider); a SourceLink outside one is plain text.
 */
import { createContext, useContext, useState, type ReactNode } from 'react';
import type { ApiClient } from '../../../shared/api/contract';
import type { AllocFrame } from '../../../shared/heap/types';
import { useModal } from '../controls/useModal';
import { SourcePanel } from './SourcePanel';

type OpenSource = (frame: AllocFrame) => void;

const HeapSourceContext = createContext<OpenSource | null>(null);

/** The frame an allocation site is named after: the first frame outside the runtime's allocation code (as the engine names sites). */
export function siteFrame(stack: readonly AllocFrame[]): AllocFrame | null {
  const user = stack.find((f) => !(f.func.startsWith('runtime.') || f.func.startsWith('runtime/') || f.func.startsWith('internal/runtime/')));
  return user ?? stack[0] ?? null;
}

function baseName(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i >= 0 ? p.slice(i + 1) : p;
}

export function HeapSourceProvider({ client, handle, children }: { client: ApiClient; handle: string; children: ReactNode }) {
  const [frame, setFrame] = useState<AllocFrame | null>(null);
  return (
    <HeapSourceContext.Provider value={setFrame}>
      {children}
      {frame ? <HeapSourceDialog client={client} handle={handle} frame={frame} onClose={() => setFrame(null)} /> : null}
    </HeapSourceContext.Provider>
  );
}

function HeapSourceDialog({ client, handle, frame, onClose }: { client: ApiClient; handle: string; frame: AllocFrame; onClose(): void }) {
  const { ref, onCancel } = useModal(true, onClose);
  return (
    <dialog
      ref={ref}
      className="heap-source-dialog"
      data-testid="heap-source-dialog"
      aria-label={`Source of ${frame.func} at ${baseName(frame.file)}:${frame.line}`}
      onCancel={onCancel}
      onClick={(e) => {
        // A click on the backdrop (the dialog element itself, outside its content) closes it.
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div className="heap-source-dialog__body">
        <div className="heap-source-dialog__head">
          <span className="text-muted">Allocated at</span>
          <button type="button" className="btn btn--small" data-testid="heap-source-close" onClick={onClose}>
            Close
          </button>
        </div>
        <SourcePanel client={client} target={{ handle, fn: frame.func, file: frame.file, line: frame.line }} />
      </div>
    </dialog>
  );
}

/** file:line of an allocation frame; a button opening its source when a heap view provides one. */
export function SourceLink({ frame, className, label }: { frame: AllocFrame; className?: string; label?: ReactNode }) {
  const open = useContext(HeapSourceContext);
  const text = label ?? `${frame.file}:${frame.line}`;
  if (!open || frame.file === '' || frame.line <= 0) return <span className={className}>{text}</span>;
  return (
    <button
      type="button"
      className={`source-link${className ? ` ${className}` : ''}`}
      data-testid="source-link"
      data-file={frame.file}
      data-line={frame.line}
      title={`Open ${frame.file}:${frame.line} (${frame.func}) in the Source panel`}
      onClick={(e) => {
        e.stopPropagation();
        open(frame);
      }}
      onKeyDown={(e) => e.stopPropagation()}
    >
      {text}
    </button>
  );
}

/** The "source" link of an allocation site row: opens the frame the site is named after. */
export function SiteSourceLink({ stack }: { stack: readonly AllocFrame[] }) {
  const f = siteFrame(stack);
  if (!f || f.file === '' || f.line <= 0) return null;
  return <SourceLink frame={f} className="source-link--site" label="source" />;
}
