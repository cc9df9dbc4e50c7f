/**
 * Runtime validation of every API payload, one schema per method of the shared contract.
 * The mapped type makes a missing or mistyped schema a compile error.
 */
import { z } from 'zod';
import type { ApiMethod, ApiRequest } from '../../shared/api/contract';
import type { FlameQuery, ProfileFilters, ProfileQuery } from '../../shared/api/types';
import { apiCaptureRequestSchema, apiWatchRequestSchema, authConfigSchema, listProfilesRequestSchema, watchIdSchema } from './capture/schemas';

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

const diffShape = {
  mode: z.enum(['diff_base', 'base']).optional(),
  normalize: z.boolean().optional(),
  sampleIndex: profileQueryShape.sampleIndex,
  granularity: profileQueryShape.granularity,
  filters: filters.optional(),
};
const diffFlameShape = {
  inverted: z.boolean().optional(),
  pivot: regex.optional(),
  minFraction: z.number().min(0).max(1).optional(),
};

const idx = z.number().int().min(0).max(2 ** 32);
const paged = { start: idx.optional(), count: z.number().int().min(1).max(10_000).optional() };
const objectRef = z.union([idx, z.string().regex(/^0x[0-9a-fA-F]{1,16}$/)]);
const heapScope = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }).strict(),
  z.object({ kind: z.literal('reachable') }).strict(),
  z.object({ kind: z.literal('garbage') }).strict(),
  z.object({ kind: z.literal('retainedBy'), node: idx }).strict(),
  z.object({ kind: z.literal('allocSite'), site: idx }).strict(),
  z.object({ kind: z.literal('sizeClass'), size: idx }).strict(),
  z.object({ kind: z.literal('nodes'), nodes: z.array(idx).max(100_000) }).strict(),
  z.object({ kind: z.literal('type'), name: z.string().min(1).max(4096) }).strict(),
]);

export const apiSchemas: { [M in ApiMethod]: z.ZodType<ApiRequest<M>> } = {
  appInfo: empty,
  listItems: empty,
  openFiles: z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(1000), exe: z.string().min(1).max(4096).optional() }).strict(),
  openBytes: z.object({ name: z.string().min(1).max(1024), bytes: z.instanceof(Uint8Array) }).strict(),
  openDemo: empty,
  uploadBegin: z.object({ name: z.string().min(1).max(1024), size: z.number().int().min(0).max(2 ** 53) }).strict(),
  uploadChunk: z.object({ uploadId: z.string().min(1).max(64), offset: z.number().int().min(0).max(2 ** 53), bytes: z.instanceof(Uint8Array) }).strict(),
  uploadFinish: z.object({ uploadId: z.string().min(1).max(64) }).strict(),
  uploadCancel: z.object({ uploadId: z.string().min(1).max(64) }).strict(),
  browsePath: z.object({ path: z.string().max(4096) }).strict(),
  recentFiles: empty,
  pickFiles: z.object({ purpose: z.enum(['open', 'executable']) }).strict(),
  closeItem: z.object({ handle }).strict(),
  attachExecutable: z.object({ handle, exe: z.string().min(1).max(4096) }).strict(),
  top: profileQuery,
  flameGraph: flameQuery,
  gcTrace: z.object({ handle }).strict(),
  heapSummary: z.object({ handle }).strict(),
  heapRoots: z.object({ handle, ...paged }).strict(),
  heapDominators: z.object({ handle, node: idx.optional(), ...paged }).strict(),
  heapPaths: z.object({ handle, object: objectRef, k: z.number().int().min(1).max(100).optional(), ignore: z.array(z.tuple([idx, idx])).max(1000).optional() }).strict(),
  heapMergedPaths: z.object({ handle, scope: heapScope, maxRows: z.number().int().min(1).max(20_000).optional() }).strict(),
  heapAllocSites: z.object({ handle, scope: heapScope.optional(), ...paged }).strict(),
  heapSizeClasses: z.object({ handle, scope: heapScope.optional(), ...paged }).strict(),
  heapObjects: z.object({ handle, scope: heapScope, ...paged }).strict(),
  heapObject: z.object({ handle, object: objectRef, outStart: idx.optional(), outCount: z.number().int().min(0).max(10_000).optional() }).strict(),
  heapTypes: z.object({ handle, scope: heapScope.optional(), maxRows: z.number().int().min(1).max(100_000).optional() }).strict(),
  compareTop: z.object({ base: handle, target: handle, ...diffShape }).strict(),
  compareFlame: z.object({ base: handle, target: handle, ...diffShape, ...diffFlameShape }).strict(),
  compareSideBySide: z.object({ base: handle, target: handle, ...diffShape, ...diffFlameShape }).strict(),
  compareGoroutines: z.object({ base: handle, target: handle }).strict(),
  compareHeaps: z.object({ base: handle, target: handle }).strict(),
  series: z
    .object({ handles: z.array(handle).min(2).max(1000), sampleIndex: profileQueryShape.sampleIndex, granularity: profileQueryShape.granularity })
    .strict(),
  findings: z.object({ handles: z.array(handle).max(1000).optional() }).strict(),
  memory: z.object({ handles: z.array(handle).max(1000).optional() }).strict(),
  exportReport: z
    .object({
      handles: z.array(handle).min(1).max(1000).optional(),
      title: z.string().max(500).optional(),
      include: z
        .object({
          findings: z.boolean().optional(),
          profiles: z.union([z.boolean(), z.array(z.string().max(1024)).max(1000)]).optional(),
          comparisons: z.boolean().optional(),
          heapDumps: z.union([z.boolean(), z.array(z.string().max(1024)).max(1000)]).optional(),
          goroutines: z.boolean().optional(),
          gctrace: z.boolean().optional(),
        })
        .strict()
        .optional(),
      sampleTypes: z.enum(['default', 'all']).optional(),
      destination: z.enum(['file', 'download']),
    })
    .strict(),
  setCredentials: z.object({ url: z.string().min(1).max(4096), auth: authConfigSchema, save: z.boolean() }).strict(),
  forgetCredentials: z.object({ url: z.string().min(1).max(4096) }).strict(),
  credentialOrigins: empty,
  remoteProfiles: listProfilesRequestSchema,
  captureProfile: apiCaptureRequestSchema,
  watchStart: apiWatchRequestSchema,
  watchStop: watchIdSchema,
  watchList: empty,
  sourceView: z
    .object({
      handle,
      function: z.string().max(4096),
      sampleIndex: profileQueryShape.sampleIndex,
      filters: filters.optional(),
      base: handle.optional(),
      file: z.string().min(1).max(4096).optional(),
      line: z.number().int().min(1).max(10_000_000).optional(),
    })
    .strict(),
  sourceAddRoot: z.object({ handle, root: z.string().min(1).max(4096) }).strict(),
  cancel: z.object({ callId: z.string().min(1).max(128) }).strict(),
};
