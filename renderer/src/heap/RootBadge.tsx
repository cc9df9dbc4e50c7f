import type { RootKind } from '../../../shared/heap/types';
import { ROOT_KIND_HELP, ROOT_KIND_LABEL } from './format';

export function RootBadge({ kind }: { kind: RootKind }) {
  return (
    <span className={`root-badge root-badge--${kind}`} title={ROOT_KIND_HELP[kind]} data-testid="root-badge" data-kind={kind}>
      {ROOT_KIND_LABEL[kind]}
    </span>
  );
}
