import { useEffect, useState } from 'react';
import type { ApiClient } from '../../../shared/api/contract';
import type { AppInfo } from '../../../shared/api/types';

const cache = new WeakMap<ApiClient, Promise<AppInfo>>();

/** The host's AppInfo (asked once per client); null until it arrives or when it cannot be read. */
export function useAppInfo(client: ApiClient): AppInfo | null {
  const [info, setInfo] = useState<AppInfo | null>(null);
  useEffect(() => {
    let p = cache.get(client);
    if (!p) {
      p = client.appInfo({});
      cache.set(client, p);
      p.catch(() => cache.delete(client));
    }
    let live = true;
    p.then(
      (i) => live && setInfo(i),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client]);
  return info;
}
