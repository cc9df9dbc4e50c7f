/**
 * "A flame graph has been drawn": said once per page, by the first chart that draws its boxes
 * (useFlameChart), for work that should wait until the first flame graph is on screen (the app's
 * boot defers the top table's call to then: app/bootData.ts).
 */
let drawn = false;
const waiting: Array<() => void> = [];

/** Called by the chart after it drew its boxes (in the layout effect, before the frame is painted). */
export function noteFlameDrawn(): void {
  if (drawn) return;
  drawn = true;
  for (const cb of waiting.splice(0)) cb();
}

/** Calls `cb` once a flame graph has been drawn (at once if one has). */
export function whenFlameDrawn(cb: () => void): void {
  if (drawn) cb();
  else waiting.push(cb);
}
