/**
 * Credentials remembered for this session only: in this renderer's memory, by origin. Never
 * written anywhere (not localStorage, not sessionStorage, not the host): a reload or a restart
 * forgets them. They go to the host with each call that needs them (TargetOptions.auth).
 */
import type { AuthConfig } from '../../../shared/capture/types';

const remembered = new Map<string, AuthConfig>();

export function rememberedAuth(origin: string | null): AuthConfig | null {
  return origin ? (remembered.get(origin) ?? null) : null;
}

export function rememberAuth(origin: string | null, auth: AuthConfig): void {
  if (!origin) return;
  if (auth.kind === 'none') remembered.delete(origin);
  else remembered.set(origin, auth);
}

export function forgetAuth(origin: string | null): void {
  if (origin) remembered.delete(origin);
}
