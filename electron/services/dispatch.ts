/**
 * One entry point for transports: check the method name, validate the payload against its
 * schema, call the handler, and turn any outcome into a WireResult (typed error, never a throw).
 */
import { isApiMethod, type ApiHandlers, type CallContext, type WireResult } from '../../shared/api/contract';
import { toErrorInfo } from '../../shared/errors';
import { apiSchemas } from './schemas';

export async function dispatch(handlers: ApiHandlers, method: string, payload: unknown, ctx: CallContext): Promise<WireResult<unknown>> {
  if (!isApiMethod(method)) return { ok: false, error: { code: 'BAD_REQUEST', message: `unknown method ${JSON.stringify(method.slice(0, 64))}` } };
  const parsed = apiSchemas[method].safeParse(payload ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length ? ` at ${issue.path.join('.')}` : '';
    return { ok: false, error: { code: 'BAD_REQUEST', message: `invalid payload for ${method}${where}: ${issue?.message ?? 'rejected'}` } };
  }
  try {
    const fn = handlers[method] as (req: unknown, ctx: CallContext) => Promise<unknown>;
    return { ok: true, result: await fn(parsed.data, ctx) };
  } catch (e) {
    return { ok: false, error: toErrorInfo(e) };
  }
}
