/**
 * What the user typed in the Open URL field, read just enough for the renderer: the origin that
 * session credentials are remembered under. The host does the real parsing (and says what is
 * wrong with a URL in its own words); this never throws.
 */

/** `scheme://host:port` of what was typed (`host:port`, `:6060`, `http://…/debug/pprof/`), or null. */
export function originOf(typed: string): string | null {
  const t = typed.trim();
  if (!t) return null;
  // A scheme other than http(s) ("ftp://", "ws://", "file://"): not a pprof endpoint. (Without
  // "//", "user:pass@host" is credentials, not a scheme.)
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t) && !/^https?:\/\//i.test(t)) return null;
  let withScheme = t;
  if (/^:\d+(\/|$)/.test(t)) withScheme = `http://127.0.0.1${t}`;
  else if (!/^https?:\/\//i.test(t)) withScheme = `http://${t}`;
  try {
    const u = new URL(withScheme);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}

/** Whether the typed URL carries `user:pass@` (the host takes it out and uses it as basic auth). */
export function hasInlineCredentials(typed: string): boolean {
  const t = typed.trim();
  try {
    const u = new URL(/^https?:\/\//i.test(t) ? t : `http://${t}`);
    return u.username !== '' || u.password !== '';
  } catch {
    return false;
  }
}
