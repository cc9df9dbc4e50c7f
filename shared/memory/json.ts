/**
 * `heapscope memory --json`: {"sources":[{"file","source","stats":{Field:int},"breakdown":[{"name","bytes","explanation"}]}]}.
 * Stats are written as JSON integers from their exact decimal strings (LastGC passes 2^53: a
 * JSON.stringify of a double would change its last digits).
 */
import type { MemoryAccount } from './types';

const UINT = /^(0|[1-9]\d*)$/;

export function memoryJson(accounts: readonly MemoryAccount[]): string {
  const sources = accounts.map((a) => {
    const stats = Object.entries(a.stats)
      .filter(([, v]) => UINT.test(v))
      .map(([k, v]) => `${JSON.stringify(k)}:${v}`)
      .join(',');
    const breakdown = a.breakdown.map((p) => JSON.stringify({ name: p.name, bytes: Math.round(p.bytes), explanation: p.explanation })).join(',');
    return `{"file":${JSON.stringify(a.file)},"source":${JSON.stringify(a.source)},"stats":{${stats}},"breakdown":[${breakdown}]}`;
  });
  return `{"sources":[${sources.join(',')}]}`;
}
