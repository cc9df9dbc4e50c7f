/**
 * Go (RE2) regular expressions → JavaScript RegExp, for the syntax pprof users type:
 * leading flag groups `(?i)`/`(?s)`/`(?m)`, POSIX classes `[[:alpha:]]`, `\A`, `\z`, `(?P<name>`,
 * and escaped punctuation. Anything JS cannot compile is reported as a BAD_REQUEST naming the option.
 */
import { HeapscopeError } from '../../errors';

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

export function goRegexSource(src: string): { source: string; flags: string } {
  let flags = '';
  let s = src;
  // Leading flag groups like (?i) or (?is).
  for (;;) {
    const m = /^\(\?([imsU]+)\)/.exec(s);
    if (!m) break;
    for (const c of m[1]!) if (c !== 'U' && !flags.includes(c)) flags += c;
    s = s.slice(m[0].length);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      const n = s[i + 1]!;
      if (!inClass && n === 'A') out += '^';
      else if (!inClass && n === 'z') out += '$(?![\\s\\S])';
      else if (n === 'Q') {
        // \Q...\E literal
        const e = s.indexOf('\\E', i + 2);
        const lit = e < 0 ? s.slice(i + 2) : s.slice(i + 2, e);
        out += lit.replace(/[.*+?^${}()|[\]\\\/-]/g, '\\$&');
        i = e < 0 ? s.length : e + 1;
        continue;
      } else out += c + n;
      i++;
      continue;
    }
    if (inClass) {
      if (c === '[' && s[i + 1] === ':') {
        const e = s.indexOf(':]', i + 2);
        if (e > 0) {
          let name = s.slice(i + 2, e);
          const neg = name.startsWith('^');
          if (neg) name = name.slice(1);
          const cls = POSIX[name];
          if (cls !== undefined && !neg) {
            out += cls;
            i = e + 1;
            continue;
          }
        }
      }
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (s[i + 1] === '^') {
        out += '^';
        i++;
      }
      if (s[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && s.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
      continue;
    }
    out += c;
  }
  return { source: out, flags };
}

/** Compiles a Go regex for searching (pprof's MatchString semantics: unanchored). */
export function compileGoRegex(src: string, option: string): RegExp {
  try {
    const { source, flags } = goRegexSource(src);
    return new RegExp(source, flags);
  } catch (e) {
    throw new HeapscopeError({
      code: 'BAD_REQUEST',
      message: `parsing ${option} regexp ${JSON.stringify(src)}: ${e instanceof Error ? e.message : String(e)}`,
    });
  }
}

/** Compiles `^(src)$` like pprof's drop_frames/keep_frames; returns null if it does not compile. */
export function compileAnchoredGoRegex(src: string): RegExp | null {
  try {
    const { source, flags } = goRegexSource(src);
    return new RegExp(`^(?:${source})$`, flags);
  } catch {
    return null;
  }
}
