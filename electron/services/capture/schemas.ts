/**
 * zod schemas of the capture requests, for the transports' payload validation
 * (electron/services/schemas.ts can use them when the capture methods join the API contract).
 * They check shape and bounds; CaptureService re-checks the semantics (which profile takes
 * seconds, gc, debug) and answers BAD_REQUEST with a sentence.
 */
import { z } from 'zod';
import type { AuthConfig, CaptureRequest, NetworkLimits, TargetOptions, WatchProfileSpec, WatchRequest } from './types';

const url = z.string().min(1).max(4096);
const profile = z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/);
const seconds = z.number().int().min(1).max(86_400);
const debug = z.union([z.literal(0), z.literal(1), z.literal(2)]);
const path = z.string().min(1).max(4096);

export const authConfigSchema: z.ZodType<AuthConfig> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }).strict(),
  z.object({ kind: z.literal('basic'), username: z.string().max(1024), password: z.string().max(4096) }).strict(),
  z.object({ kind: z.literal('bearer'), token: z.string().min(1).max(16_384) }).strict(),
]);

const limitsShape = {
  connectTimeoutMs: z.number().positive().max(3_600_000).optional(),
  totalTimeoutMs: z.number().positive().max(7 * 86_400_000).optional(),
  maxBytes: z.number().int().positive().optional(),
  maxRedirects: z.number().int().min(0).max(20).optional(),
};

export const networkLimitsSchema: z.ZodType<NetworkLimits> = z.object(limitsShape).strict();
export const targetOptionsSchema: z.ZodType<TargetOptions> = z.object({ ...limitsShape, auth: authConfigSchema.optional() }).strict();

export const listProfilesRequestSchema: z.ZodType<{ url: string; options?: TargetOptions }> = z.object({ url, options: targetOptionsSchema.optional() }).strict();

const captureShape = {
  url,
  profile,
  seconds: seconds.optional(),
  gc: z.boolean().optional(),
  debug: debug.optional(),
  options: targetOptionsSchema.optional(),
};
export const captureRequestSchema: z.ZodType<CaptureRequest> = z.object({ ...captureShape, saveDir: path.optional() }).strict();
/** The API's form: the host decides where captures are saved, never the renderer. */
export const apiCaptureRequestSchema: z.ZodType<Omit<CaptureRequest, 'saveDir'>> = z.object(captureShape).strict();

const watchProfileSpecSchema: z.ZodType<WatchProfileSpec> = z
  .object({ profile, seconds: seconds.optional(), gc: z.boolean().optional(), debug: debug.optional() })
  .strict();

const watchShape = {
  url,
  profiles: z.array(watchProfileSpecSchema).max(16),
  everyMs: z.number().min(100).max(7 * 86_400_000),
  count: z.number().int().min(1).optional(),
  maxKept: z.number().int().min(1).optional(),
  maxBytes: z.number().positive().optional(),
  series: z.boolean().optional(),
  gc: z.boolean().optional(),
  expvar: z.boolean().optional(),
  triggers: z.array(z.string().min(1).max(200)).max(16).optional(),
  everyNth: z.number().int().min(1).max(1_000_000).optional(),
  options: targetOptionsSchema.optional(),
};
export const watchRequestSchema: z.ZodType<WatchRequest> = z.object({ ...watchShape, outDir: path }).strict();
/** The API's form: the watch's folder is the host's choice. */
export const apiWatchRequestSchema: z.ZodType<Omit<WatchRequest, 'outDir'>> = z.object(watchShape).strict();

export const watchIdSchema: z.ZodType<{ watchId: string }> = z.object({ watchId: z.string().min(1).max(64) }).strict();
