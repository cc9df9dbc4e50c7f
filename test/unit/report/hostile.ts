/**
 * A profile whose function names try to break out of the report: script end tags, HTML tags with
 * handlers, comment openers, JSON-breaking line separators, entities. Used by the unit tests and the
 * end-to-end test (test/e2e/report.e2e.ts), which asserts nothing executes and the names show as text.
 */
import { ProfileBuilder } from '../../../shared/profile/builder';
import type { Profile } from '../../../shared/profile/model';

export const HOSTILE_NAMES = {
  script: 'main.</script><script>window.__pwned=1</script>',
  img: '<img src=x onerror=window.__pwned=1>',
  comment: 'main.x<!--<script>window.__pwned=1</script>',
  svg: 'pkg.<svg/onload=window.__pwned=1>',
  seps: 'main.sep\u2028line\u2029para',
  entities: 'main.&lt;b&gt; & "double" \'single\'',
} as const;

export const HOSTILE_LIST: readonly string[] = Object.values(HOSTILE_NAMES);

/** main.main → each hostile name (and img → script nested), values scaled by `scale`. */
export function hostileProfile(scale = 1): Profile {
  const b = new ProfileBuilder();
  b.p.sampleTypes = [b.valueType('inuse_space', 'bytes')];
  const main = b.location('main', 0x1000, [{ func: b.func('main.main', 'main.go'), line: 1 }]);
  const locs = HOSTILE_LIST.map((n, i) => b.location(`h${i}`, 0x2000 + 16 * i, [{ func: b.func(n, `evil${i}.go`), line: 10 + i }]));
  locs.forEach((l, i) => b.sample([l, main], [1000 * (i + 1) * scale]));
  // Nested: the img frame calls the script frame.
  b.sample([locs[0]!, locs[1]!, main], [5000 * scale]);
  return b.build();
}
