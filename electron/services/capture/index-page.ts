/**
 * Reads the net/http/pprof index page (`/debug/pprof/`) into plain rows: name, count, link,
 * description. The page is untrusted text from the network: it is scanned with bounded regular
 * expressions, entities are decoded, tags dropped, and only plain strings come out (nothing here
 * or downstream ever inserts it as HTML). Links are kept only when they stay on the index's origin.
 *
 * Handles the page of Go 1.11+ (`<tr><td>N</td><td><a href='heap?debug=1'>heap</a></td></tr>`)
 * and the older one (`<tr><td align=right>N<td><a href="heap?debug=1">heap</a>`).
 */
import { HeapscopeError } from '../../../shared/errors';
import type { ListProfilesResult, ProfileListing } from './types';
import { displayUrl } from './url';

/** Listed by net/http/pprof but not profiles Heapscope reads. */
const NOT_CAPTURABLE = new Set(['cmdline', 'trace', 'symbol']);
const NAME_RE = /^[A-Za-z0-9_.-]{1,128}$/;
const MAX_ROWS = 1000;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,8});/g, (m, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(cp) && cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : '';
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** Visible text of an HTML fragment, one line, no control characters. */
export function plainText(fragment: string, max = 500): string {
  const t = decodeEntities(fragment.replace(/<[^>]{0,1000}>/g, ' '))
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

/** Resolve a link against the index URL; "" unless it stays on the same origin and is http(s). */
function safeHref(raw: string, indexUrl: string): string {
  try {
    const base = new URL(indexUrl);
    const u = new URL(decodeEntities(raw), base);
    if (u.origin !== base.origin || (u.protocol !== 'http:' && u.protocol !== 'https:')) return '';
    u.username = '';
    u.password = '';
    return u.href;
  } catch {
    return '';
  }
}

export function parseIndexPage(html: string, indexUrl: string): ListProfilesResult {
  const page = html.length > 4 * 1024 * 1024 ? html.slice(0, 4 * 1024 * 1024) : html;
  const descriptions = new Map<string, string>();
  // <li><div class=profile-name>heap: </div> A sampling of ...</li>
  const liRe = /<li\b[^>]{0,200}>\s*<div\b[^>]{0,200}>([^<]{1,200})<\/div>([^]{0,4000}?)<\/li>/gi;
  for (let m = liRe.exec(page); m; m = liRe.exec(page)) {
    const name = plainText(m[1]!).replace(/:\s*$/, '').trim();
    if (NAME_RE.test(name) && !descriptions.has(name)) descriptions.set(name, plainText(m[2]!));
  }

  const profiles: ProfileListing[] = [];
  const seen = new Set<string>();
  const rows = page.split(/<tr\b/i).slice(1);
  for (const row0 of rows) {
    if (profiles.length >= MAX_ROWS) break;
    const row = row0.length > 4000 ? row0.slice(0, 4000) : row0;
    const a = /<a\b[^>]{0,500}?\bhref\s*=\s*(?:'([^']{0,1000})'|"([^"]{0,1000})"|([^\s>]{1,1000}))[^>]{0,500}>([^]{0,500}?)<\/a>/i.exec(row);
    if (!a) continue;
    const name = plainText(a[4]!);
    if (!NAME_RE.test(name) || seen.has(name)) continue;
    const countM = /<td\b[^>]{0,200}>\s*(\d{1,15})\s*(?:<\/td>|<td\b|<)/i.exec(row);
    const href = safeHref(a[1] ?? a[2] ?? a[3] ?? '', indexUrl);
    seen.add(name);
    profiles.push({
      name,
      count: countM ? Number(countM[1]) : null,
      href,
      description: descriptions.get(name) ?? '',
      capturable: !NOT_CAPTURABLE.has(name),
    });
  }
  if (profiles.length === 0) {
    const looksHtml = /<html|<body|<!doctype/i.test(page.slice(0, 2000));
    const title = /<title[^>]{0,200}>([^<]{0,200})<\/title>/i.exec(page);
    const what = title ? `a page titled ${JSON.stringify(plainText(title[1]!, 80))}` : looksHtml ? 'an HTML page' : 'something else';
    throw new HeapscopeError({
      code: 'NETWORK',
      message: `${displayUrl(indexUrl)}: not a net/http/pprof index (no profile table found; got ${what})`,
    });
  }
  const hasFullGoroutineDump = /href\s*=\s*['"]?goroutine\?debug=2/i.test(page);
  return { indexUrl: displayUrl(indexUrl), profiles, hasFullGoroutineDump };
}
