/*
 * `serviceMesh.findingsTrend.*`: how much history of finding counts the backend keeps.
 */
import { Config } from '@backstage/config';

export interface FindingsTrendConfig {
  retentionHours: number;
  /** Rows kept at most (the oldest go first), whatever the retention. */
  maxPoints: number;
}

export const DEFAULT_TREND_RETENTION_HOURS = 7 * 24;
export const DEFAULT_TREND_MAX_POINTS = 20_000;

export function readFindingsTrendConfig(config: Config): FindingsTrendConfig {
  const c = config.getOptionalConfig('serviceMesh.findingsTrend');
  const positive = (key: string, fallback: number) => {
    const value = c?.getOptionalNumber(key) ?? fallback;
    if (!Number.isFinite(value) || value <= 0) {
      throw new Error(
        `Invalid serviceMesh.findingsTrend.${key} ${value}: expected a positive number`,
      );
    }
    return value;
  };
  return {
    retentionHours: positive('retentionHours', DEFAULT_TREND_RETENTION_HOURS),
    maxPoints: Math.floor(positive('maxPoints', DEFAULT_TREND_MAX_POINTS)),
  };
}
