let n = 0;
/** A call id unique within this page: used to route progress and cancel a call in flight. */
export function newCallId(): string {
  n++;
  return `c${Date.now().toString(36)}-${n}-${Math.random().toString(36).slice(2, 8)}`;
}
