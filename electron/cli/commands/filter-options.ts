/**
 * pprof's frame and label filters as command-line options, shared by `top`, `list` and `peek`:
 * `--focus --ignore --hide --show` (regexes) and repeatable `--tag-focus --tag-ignore`.
 */
import type { Command } from 'commander';
import type { ProfileFilters } from '../../../shared/api/types';

export interface FilterCliOpts {
  focus?: string;
  ignore?: string;
  hide?: string;
  show?: string;
  tagFocus?: string[];
  tagIgnore?: string[];
}

/** Commander's accumulator for repeatable options. */
export function collect(v: string, prev: string[] | undefined): string[] {
  return [...(prev ?? []), v];
}

export function addFilterOptions(cmd: Command): Command {
  return cmd
    .option('--focus <re>', 'keep samples with a frame matching')
    .option('--ignore <re>', 'drop samples with a frame matching')
    .option('--hide <re>', 'remove matching frames from stacks')
    .option('--show <re>', 'keep only matching frames in stacks')
    .option('--tag-focus <key=re>', 'keep samples whose label matches (key=regex or key=lo:hi, e.g. bytes=128kb:512kb); repeatable', collect)
    .option('--tag-ignore <key=re>', 'drop samples whose label matches; repeatable', collect);
}

export function filtersOf(opts: FilterCliOpts): ProfileFilters {
  const f: ProfileFilters = {};
  if (opts.focus) f.focus = opts.focus;
  if (opts.ignore) f.ignore = opts.ignore;
  if (opts.hide) f.hide = opts.hide;
  if (opts.show) f.show = opts.show;
  if (opts.tagFocus?.length) f.tagFocus = opts.tagFocus;
  if (opts.tagIgnore?.length) f.tagIgnore = opts.tagIgnore;
  return f;
}
