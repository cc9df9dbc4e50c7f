/**
 * The desktop platform the page runs on, from what the browser says of itself: keys the platform
 * font stacks (`data-os` on the root element, styles/tokens.css) and the modifier key named in hints.
 */
export type OsFamily = 'mac' | 'windows' | 'linux' | 'other';

export interface NavigatorLike {
  platform?: string;
  userAgent: string;
}

export function osFamily(nav: NavigatorLike): OsFamily {
  const p = nav.platform ?? '';
  const ua = nav.userAgent;
  if (/Mac|iPhone|iPad/.test(p || ua)) return 'mac';
  if (/Win/.test(p) || /Windows/.test(ua)) return 'windows';
  if (/Android/.test(ua)) return 'other';
  if (/Linux|X11|CrOS|BSD/.test(p) || /Linux|X11|CrOS/.test(ua)) return 'linux';
  return 'other';
}

/** Tags the root element with the platform (before the first layout: the font stacks depend on it). */
export function markOs(doc: Document, nav: NavigatorLike): void {
  doc.documentElement.dataset.os = osFamily(nav);
}
