/**
 * A finding's link (file names, as in FindingLink) → what the app shows: the selection (handles, by
 * LoadedItem.name) and what to focus in that view. Pure.
 */
import type { LoadedItem } from '../../../shared/api/types';
import type { FindingLink } from '../../../shared/findings/types';

/** What a view focuses on when it opens for a finding (each view reads the fields it knows). */
export interface ViewFocus {
  /** Comparison tab: 'overlay' | 'side' | 'goroutines'; heap comparison: 'sites' | 'roots' | … */
  tab?: string;
  function?: string;
  state?: string;
  sampleType?: string;
  root?: string;
  object?: string;
  allocSite?: string;
}

export type Navigation =
  | {
      ok: true;
      selection: string[];
      focus: ViewFocus;
      label: string;
      /** A function to select in a profile view or a comparison (it travels as the exact-name search). */
      selectFunction?: string;
    }
  | { ok: false; reason: string };

export function resolveLink(link: FindingLink, items: readonly LoadedItem[]): Navigation {
  const byName = (name: string) => items.find((i) => i.name === name);
  const need = (names: string[]): LoadedItem[] | string => {
    const out: LoadedItem[] = [];
    for (const n of names) {
      const it = byName(n);
      if (!it) return `${n} is not open any more`;
      out.push(it);
    }
    return out;
  };
  const fn = (f: ViewFocus, k: keyof ViewFocus, v: string | undefined) => {
    if (v !== undefined && v !== '') f[k] = v;
  };
  switch (link.view) {
    case 'diff': {
      const got = need([link.base, link.target]);
      if (typeof got === 'string') return { ok: false, reason: got };
      const focus: ViewFocus = { tab: 'overlay' };
      fn(focus, 'function', link.function);
      fn(focus, 'sampleType', link.sampleIndex);
      return { ok: true, selection: got.map((i) => i.handle), focus, label: 'Open the comparison', ...(link.function ? { selectFunction: link.function } : {}) };
    }
    case 'series': {
      const got = need(link.files);
      if (typeof got === 'string') return { ok: false, reason: got };
      const focus: ViewFocus = {};
      fn(focus, 'function', link.function);
      fn(focus, 'sampleType', link.sampleIndex);
      if (got.length === 2) {
        return { ok: true, selection: got.map((i) => i.handle), focus: { ...focus, tab: 'overlay' }, label: 'Open the comparison', ...(link.function ? { selectFunction: link.function } : {}) };
      }
      return { ok: true, selection: got.map((i) => i.handle), focus, label: 'Open the series' };
    }
    case 'goroutines': {
      const got = need(link.base ? [link.base, link.file] : [link.file]);
      if (typeof got === 'string') return { ok: false, reason: got };
      const focus: ViewFocus = { tab: 'goroutines' };
      fn(focus, 'function', link.function);
      fn(focus, 'state', link.state);
      // Alone: a goroutine profile opens on that function (its flame graph and top table).
      const alone = got.length === 1 && got[0]!.kind === 'profile' && link.function ? { selectFunction: link.function } : {};
      return { ok: true, selection: got.map((i) => i.handle), focus, label: got.length === 2 ? 'Compare the goroutines' : 'Open the goroutines', ...alone };
    }
    case 'heap': {
      const got = need([link.dump]);
      if (typeof got === 'string') return { ok: false, reason: got };
      const focus: ViewFocus = {};
      fn(focus, 'root', link.root);
      fn(focus, 'object', link.object);
      fn(focus, 'allocSite', link.allocSite);
      return { ok: true, selection: [got[0]!.handle], focus, label: 'Open in the heap dump' };
    }
    case 'heapdiff': {
      const got = need([link.base, link.target]);
      if (typeof got === 'string') return { ok: false, reason: got };
      const focus: ViewFocus = {};
      fn(focus, 'root', link.root);
      fn(focus, 'allocSite', link.allocSite);
      return { ok: true, selection: got.map((i) => i.handle), focus, label: 'Compare the heap dumps' };
    }
    case 'gctrace': {
      const got = need([link.file]);
      if (typeof got === 'string') return { ok: false, reason: got };
      return { ok: true, selection: [got[0]!.handle], focus: {}, label: 'Open the GC trace' };
    }
  }
}
