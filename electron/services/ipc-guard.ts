/**
 * The checks behind every IPC handler, free of Electron so they are unit-tested: the call must
 * come from our own top frame (the bundled renderer loaded from file://), and its payload must
 * validate against the method's schema (dispatch does that).
 */
import type { ApiHandlers, CallContext, WireResult } from '../../shared/api/contract';
import { dispatch } from './dispatch';

export interface SenderInfo {
  /** URL of the frame that sent the message (event.senderFrame.url). */
  frameUrl: string | undefined;
  /** Whether that frame is the top frame of the window. */
  isTopFrame: boolean;
}

/** The renderer's index.html URL, e.g. file:///…/dist/renderer/index.html. */
export function isTrustedSender(sender: SenderInfo, expectedUrl: string): boolean {
  if (!sender.isTopFrame || !sender.frameUrl) return false;
  try {
    const got = new URL(sender.frameUrl);
    const want = new URL(expectedUrl);
    return got.protocol === want.protocol && got.host === want.host && got.pathname === want.pathname;
  } catch {
    return false;
  }
}

export async function handleIpcCall(
  handlers: ApiHandlers,
  method: string,
  sender: SenderInfo,
  expectedUrl: string,
  payload: unknown,
  ctx: CallContext,
): Promise<WireResult<unknown>> {
  if (!isTrustedSender(sender, expectedUrl)) {
    return { ok: false, error: { code: 'BAD_REQUEST', message: `IPC call ${method} refused: unexpected sender frame` } };
  }
  return dispatch(handlers, method, payload, ctx);
}

export function isValidCallId(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= 128;
}
