/*
 * `serviceMesh.istiod.*`: whether istiod's own view is read, its request timeout, and the MESH015 threshold.
 */
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

export interface IstiodSettings {
  enabled: boolean;
  /** Per debug request; default half the cluster timeout. */
  timeoutSeconds?: number;
  staleProxyMinutes: number;
}

export const DEFAULT_ISTIOD_SETTINGS: IstiodSettings = {
  enabled: true,
  staleProxyMinutes: 5,
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
  return {
    enabled: c.getOptionalBoolean('enabled') ?? true,
    ...(timeoutSeconds ? { timeoutSeconds } : {}),
    staleProxyMinutes: positive('staleProxyMinutes') ?? 5,
  };
}
