/**
 * Runtime validation of every API payload, one schema per method of the shared contract.
 * The mapped type makes a missing or mistyped schema a compile error.
 */
import { z } from 'zod';
import type { ApiMethod, ApiRequest } from '../../shared/api/contract';
import type { FlameQuery, ProfileFilters, ProfileQuery } from '../../shared/api/types';

const handle = z.string().min(1).max(64);
const regex = z.string().max(4096);
const empty = z.object({}).strict() as unknown as z.ZodType<Record<string, never>>;

const filters: z.ZodType<ProfileFilters> = z
  .object({
    focus: regex.optional(),
    ignore: regex.optional(),
    hide: regex.optional(),
    show: regex.optional(),
    tagFocus: z.array(regex).max(64).optional(),
    tagIgnore: z.array(regex).max(64).optional(),
  })
  .strict();

const profileQueryShape = {
  handle,
  sampleIndex: z.union([z.number().int().min(0).max(1024), z.string().max(256)]).optional(),
  granularity: z.enum(['functions', 'files', 'lines']).optional(),
  filters: filters.optional(),
};
const profileQuery: z.ZodType<ProfileQuery> = z.object(profileQueryShape).strict();
const flameQuery: z.ZodType<FlameQuery> = z
  .object({
    ...profileQueryShape,
    inverted: z.boolean().optional(),
    minFraction: z.number().min(0).max(1).optional(),
    pivot: regex.optional(),
  })
  .strict();

export const apiSchemas: { [M in ApiMethod]: z.ZodType<ApiRequest<M>> } = {
  appInfo: empty,
  listItems: empty,
  openFiles: z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(1000) }).strict(),
  openBytes: z.object({ name: z.string().min(1).max(1024), bytes: z.instanceof(Uint8Array) }).strict(),
  openDemo: empty,
  closeItem: z.object({ handle }).strict(),
  top: profileQuery,
  flameGraph: flameQuery,
  cancel: z.object({ callId: z.string().min(1).max(128) }).strict(),
};
