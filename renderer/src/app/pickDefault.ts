import type { LoadedItem } from '../../../shared/api/types';

/** First heap profile, else the first profile, else the first item. */
export function pickDefault(items: LoadedItem[]): LoadedItem | undefined {
  return items.find((i) => i.kind === 'profile' && i.profileKind === 'heap') ?? items.find((i) => i.kind === 'profile') ?? items[0];
}
