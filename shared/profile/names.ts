/**
 * One name per Go function, whatever the format or the Go version wrote.
 *
 * Profiles keep the names their writer recorded (top and flame equal `go tool pprof` on each
 * file). Wherever two inputs are matched by function (comparisons across formats, findings,
 * series, goroutine stacks), the canonical name is the key:
 *   - generic instantiations: proto profiles from Go 1.21 name the shape (`pkg.F[go.shape.int]`,
 *     `pkg.(*T[go.shape.string,go.shape.*uint8]).M`), text formats and tracebacks print `[...]`:
 *     both become `pkg.F[...]` / `pkg.(*T[...]).M`;
 *   - `gowrapN` / `deferwrapN` (1.22+) and `F-rangeN` loop bodies (1.23+) are real, distinct
 *     functions and keep their names; the goroutine stack keys decide where wrappers are hidden.
 */
import type { Profile } from './model';

/**
 * Replaces every bracketed type-argument list with `[...]`. Brackets are matched with nesting
 * (`F[map[string]int]`), and only when they follow a name character, so a name made of brackets
 * alone is left as it is.
 */
export function canonicalFunctionName(name: string): string {
  if (name.indexOf('[') < 0) return name;
  let out = '';
  let i = 0;
  while (i < name.length) {
    const c = name[i]!;
    if (c === '[' && i > 0 && /[\w)*.\]]/.test(name[i - 1]!)) {
      let depth = 0;
      let j = i;
      for (; j < name.length; j++) {
        if (name[j] === '[') depth++;
        else if (name[j] === ']' && --depth === 0) break;
      }
      if (j >= name.length) return out + name.slice(i); // unbalanced: keep the rest as written
      out += '[...]';
      i = j + 1;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/**
 * Compiler-generated wrappers Go hides from tracebacks and from the `#` lines of debug=1 text:
 * method values (`T.M-fm`), go/defer statements with arguments (`F.gowrapN`, `F.deferwrapN`, 1.22+).
 * A binary's symbol table names them, so pprof shows them when it symbolizes a text profile.
 */
export function isCompilerWrapper(name: string): boolean {
  return /-fm$|\.(?:gowrap|deferwrap)\d+$/.test(name);
}

/** True when some function of p is named with a generic instantiation of the given style. */
function hasGenericStyle(p: Profile, shaped: boolean): boolean {
  for (let i = 0; i < p.functionCount; i++) {
    const n = p.strings[p.funcName[i]!]!;
    if (n.includes('[...]') ? !shaped : shaped && /\[[^\]]*go\.shape\./.test(n)) return true;
  }
  return false;
}

/**
 * p with every function named canonically (a shallow copy sharing everything but the string
 * table and the name columns); p itself when no name changes.
 */
export function withCanonicalNames(p: Profile): Profile {
  let strings: string[] | null = null;
  const funcName = new Int32Array(p.funcName);
  const funcSystemName = new Int32Array(p.funcSystemName);
  const intern = new Map<string, number>();
  const remap = (col: Int32Array): void => {
    for (let i = 0; i < col.length; i++) {
      const n = p.strings[col[i]!]!;
      const c = canonicalFunctionName(n);
      if (c === n) continue;
      strings ??= p.strings.slice();
      let idx = intern.get(c);
      if (idx === undefined) {
        idx = strings.length;
        strings.push(c);
        intern.set(c, idx);
      }
      col[i] = idx;
    }
  };
  remap(funcName);
  remap(funcSystemName);
  if (strings === null) return p;
  return { ...p, strings, funcName, funcSystemName };
}

/**
 * The two profiles to compare, named alike: when one names generic instantiations by their
 * shapes (proto, Go 1.21+) and the other with `[...]` (debug=1 text, goroutine dumps), both are
 * named canonically; otherwise they are returned as they are (pprof's names, pprof's numbers).
 */
export function alignGenericNames(a: Profile, b: Profile): [Profile, Profile] {
  const mixed = (hasGenericStyle(a, true) && hasGenericStyle(b, false)) || (hasGenericStyle(a, false) && hasGenericStyle(b, true));
  return mixed ? [withCanonicalNames(a), withCanonicalNames(b)] : [a, b];
}

/** Function names of sample s, innermost first (inline frames included; '?' for a line without one). */
export function sampleFunctionNames(p: Profile, s: number): string[] {
  const out: string[] = [];
  for (let i = p.sampleLocStart[s]!; i < p.sampleLocStart[s + 1]!; i++) {
    const l = p.sampleLocs[i]!;
    for (let j = p.locLineStart[l]!; j < p.locLineStart[l + 1]!; j++) {
      const fi = p.lineFunc[j]!;
      out.push(fi >= 0 ? p.strings[p.funcName[fi]!]! : '?');
    }
  }
  return out;
}

/**
 * The name pprof shows for a function whose profile gives no separate display name (name empty or
 * equal to system_name, as Go writes): pprof's symbolizer "demangles" every such name at load, and
 * for an already readable name its heuristic drops parameter lists `(...)` and `<...>` when the
 * name looks like C++ (holds `[`, `]`, `<`, `>` or `::`), except Go method names on generic types
 * (`pkg.(*T[...]).M`, holding `]).`) and Java's `class.<init>`. So a Go generic instantiated with a
 * func type, `sync.OnceValue[go.shape.func(*T, int)]`, is shown as `sync.OnceValue[go.shape.func]`.
 * (Mangled C++ symbols, `_Z…`, are not demangled here.)
 */
export function pprofDisplayName(name: string, systemName: string): string {
  if (name !== '' && systemName !== name) return name;
  let n = systemName;
  if (n.includes('.<')) return n;
  if (n.includes(']).')) return n;
  if (!/[<>[\]]|::/.test(n)) return n;
  n = removeMatching(removeMatching(n, '(', ')'), '<', '>');
  // pprof would print an empty name (e.g. for a name that is all markup, `<img …>`); keep the
  // recorded one, shown as text like every profile string.
  return n.trim() === '' ? systemName : n;
}

/** pprof's removeMatching: drops every outermost start…end group; a stray end leaves the name as it was. */
function removeMatching(name: string, start: string, end: string): string {
  let nesting = 0;
  let first = 0;
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    if (c === start) {
      nesting++;
      if (nesting === 1) first = i;
    } else if (c === end) {
      nesting--;
      if (nesting < 0) return name;
      if (nesting === 0) {
        name = name.slice(0, first) + name.slice(i + 1);
        i = first - 1;
      }
    }
  }
  return name;
}
