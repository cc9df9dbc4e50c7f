/** Which sample types two profiles can be compared by. */
import type { LoadedItem, ValueType } from '../../../shared/api/types';

/** Sample types both profiles have (same name and unit), in A's order. */
export function commonSampleTypes(a: LoadedItem, b: LoadedItem): ValueType[] {
  return a.sampleTypes.filter((t) => b.sampleTypes.some((u) => u.type === t.type && u.unit === t.unit));
}

/** The user's sample type when both have it, else A's default when B has it, else the first common one. */
export function pickCommonType(a: LoadedItem, b: LoadedItem, wanted: string | null): ValueType | null {
  const common = commonSampleTypes(a, b);
  return (
    common.find((t) => t.type === wanted) ??
    common.find((t) => t.type === a.sampleTypes[a.defaultSampleIndex]?.type) ??
    common[0] ??
    null
  );
}
