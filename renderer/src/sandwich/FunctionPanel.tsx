/**
 * What selecting a function shows, below the top table and the flame graph: its source (flat/cum
 * per line) beside its sandwich (callers above, callees below). Opened by a top-table row, a flame
 * frame, a finding or an exact search (they all select the function); in a comparison with deltas.
 */
import type { ApiClient } from '../../../shared/api/contract';
import { SourcePanel, type SourceTarget } from '../source/SourcePanel';
import { SandwichView, type SandwichTarget } from './SandwichView';

export function FunctionPanel({ client, target, onClose }: { client: ApiClient; target: SourceTarget & SandwichTarget; onClose(): void }) {
  return (
    <div className="function-panel" data-testid="function-panel" data-function={target.fn}>
      <SourcePanel client={client} target={target} />
      <div className="sandwich-wrap">
        <button type="button" className="btn btn--small function-panel__close-btn" data-testid="function-panel-close" onClick={onClose} aria-label="Close the function panel">
          Close
        </button>
        <SandwichView client={client} target={target} />
      </div>
    </div>
  );
}
