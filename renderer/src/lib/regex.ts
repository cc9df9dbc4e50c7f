/** Matching helpers for user-typed search text. Never throws on bad input. */

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export type SearchMode = 'substring' | 'regex' | 'exact';

export interface Matcher {
  test(name: string): boolean;
  /** Set when the regex did not compile (the matcher then falls back to a literal substring). */
  error?: string;
}

/** Build a name matcher. Substring and regex are case-insensitive; exact is case-sensitive. */
export function makeMatcher(text: string, mode: SearchMode): Matcher | null {
  if (!text) return null;
  if (mode === 'exact') return { test: (n) => n === text };
  if (mode === 'regex') {
    try {
      const re = new RegExp(text, 'i');
      return { test: (n) => re.test(n) };
    } catch (e) {
      const lower = text.toLowerCase();
      return { test: (n) => n.toLowerCase().includes(lower), error: e instanceof Error ? e.message : String(e) };
    }
  }
  const lower = text.toLowerCase();
  return { test: (n) => n.toLowerCase().includes(lower) };
}
