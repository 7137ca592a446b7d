/*
 * `serviceMesh.istiod.*`: whether istiod's own view is read, how (transport), its request timeout, how often
 * syncz is read, and the MESH015 threshold.
 */
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/**
 * `portForward` (default): `pods/portforward`, as istioctl does — the only way a stock istiod (>= 1.11) answers.
 * `podProxy`: the pod proxy subresource, for an istiod that serves /debug to any caller (older builds).
 */
export type IstiodTransport = 'portForward' | 'podProxy';
export const ISTIOD_TRANSPORTS: IstiodTransport[] = ['portForward', 'podProxy'];

export interface IstiodSettings {
  enabled: boolean;
  /** Default portForward. */
  transport?: IstiodTransport;
  /** Per debug request; default half the cluster timeout. */
  timeoutSeconds?: number;
  staleProxyMinutes: number;
  /**
   * Seconds between two reads of `/debug/syncz` (clusterz is read on every refresh). syncz grows with the proxies
   * (about 1 KB each: 40 MB at 40k proxies), clusterz with the remote clusters (a few hundred bytes each).
   * 0 or absent: on every refresh. readIstiodSettings defaults it to 900.
   */
  proxySyncIntervalSeconds?: number;
}

// From the bench (docs/bench.md, 20 clusters × 10k proxies): syncz is 9.4 MB per read of every member; at 300 s
// that alone is 113 MB/h, more than the watch budget (1 % of polling, ~61 MB/h); at 900 s 38 MB/h fits.
export const DEFAULT_PROXY_SYNC_INTERVAL_SECONDS = 900;

export const DEFAULT_ISTIOD_SETTINGS: IstiodSettings = {
  enabled: true,
  transport: 'portForward',
  staleProxyMinutes: 5,
  proxySyncIntervalSeconds: DEFAULT_PROXY_SYNC_INTERVAL_SECONDS,
};

export function readIstiodSettings(config: Config): IstiodSettings {
  const c = config.getOptionalConfig('serviceMesh.istiod');
  if (!c) return DEFAULT_ISTIOD_SETTINGS;
  const positive = (key: string) => {
    const value = c.getOptionalNumber(key);
    if (value !== undefined && !(value > 0))
      throw new InputError(
        `serviceMesh.istiod.${key} must be a positive number, got ${value}`,
      );
    return value;
  };
  const timeoutSeconds = positive('timeoutSeconds');
  const transport = c.getOptionalString('transport') ?? 'portForward';
  if (!ISTIOD_TRANSPORTS.includes(transport as IstiodTransport))
    throw new InputError(
      `serviceMesh.istiod.transport must be one of ${ISTIOD_TRANSPORTS.join(
        ', ',
      )}, got "${transport}"`,
    );
  return {
    enabled: c.getOptionalBoolean('enabled') ?? true,
    transport: transport as IstiodTransport,
    ...(timeoutSeconds ? { timeoutSeconds } : {}),
    staleProxyMinutes: positive('staleProxyMinutes') ?? 5,
    proxySyncIntervalSeconds: proxySyncIntervalSeconds(c),
  };
}

function proxySyncIntervalSeconds(c: Config): number {
  const value = c.getOptionalNumber('proxySyncIntervalSeconds');
  if (value === undefined) return DEFAULT_PROXY_SYNC_INTERVAL_SECONDS;
  if (!(value >= 0) || !Number.isFinite(value))
    throw new InputError(
      `serviceMesh.istiod.proxySyncIntervalSeconds must be 0 (every refresh) or a positive number of seconds, got ${value}`,
    );
  return value;
}
