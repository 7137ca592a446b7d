/*
 * `serviceMesh.metrics`: where live traffic is read (a Prometheus-compatible query API: VictoriaMetrics or
 * Prometheus), with which credentials, and how often.
 */
import { Config } from '@backstage/config';
import {
  DEFAULT_TRAFFIC_THRESHOLDS,
  isTrafficWindow,
  TrafficThresholds,
  TrafficWindow,
} from '@internal/plugin-service-mesh-common';

export interface MetricsConfig {
  enabled: boolean;
  /** Explicit query API base URL; wins over the ServiceMesh resources' `spec.prometheusURL`. */
  url?: string;
  /** Read `spec.prometheusURL` of the ServiceMesh resources when `url` is not set. */
  discoverFromServiceMesh: boolean;
  auth?: { bearerToken: string } | { username: string; password: string };
  timeoutMs: number;
  cacheTtlMs: number;
  /** The window whose MESH080/081 join the overview and entity findings. */
  findingsWindow: TrafficWindow;
  thresholds: TrafficThresholds;
}

export const DEFAULT_METRICS_TIMEOUT_SECONDS = 5;
export const DEFAULT_METRICS_CACHE_TTL_SECONDS = 60;

function positive(value: number | undefined, fallback: number, key: string) {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(
      `Invalid config '${key}': must be a positive number, got ${value}`,
    );
  }
  return value;
}

function httpUrl(value: string, key: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`Invalid config '${key}': not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`Invalid config '${key}': must be an http(s) URL`);
  }
  if (url.username || url.password) {
    throw new Error(
      `Invalid config '${key}': put credentials in serviceMesh.metrics.basicAuth, not in the URL`,
    );
  }
  return value.replace(/\/+$/, '');
}

export function readMetricsConfig(root: Config): MetricsConfig {
  const config = root.getOptionalConfig('serviceMesh.metrics');
  const key = (k: string) => `serviceMesh.metrics.${k}`;
  const url = config?.getOptionalString('url');
  const bearerToken = config?.getOptionalString('bearerToken');
  const basicAuth = config?.getOptionalConfig('basicAuth');
  if (bearerToken && basicAuth) {
    throw new Error(
      `Invalid config '${key(
        'bearerToken',
      )}': set either bearerToken or basicAuth, not both`,
    );
  }
  const window = config?.getOptionalString('findingsWindow') ?? '5m';
  if (!isTrafficWindow(window)) {
    throw new Error(
      `Invalid config '${key(
        'findingsWindow',
      )}': must be 5m, 1h or 24h, got ${window}`,
    );
  }
  let auth: MetricsConfig['auth'];
  if (bearerToken) auth = { bearerToken };
  else if (basicAuth) {
    auth = {
      username: basicAuth.getString('username'),
      password: basicAuth.getString('password'),
    };
  }
  return {
    enabled: config?.getOptionalBoolean('enabled') ?? true,
    ...(url ? { url: httpUrl(url, key('url')) } : {}),
    discoverFromServiceMesh:
      config?.getOptionalBoolean('discoverFromServiceMesh') ?? true,
    ...(auth ? { auth } : {}),
    timeoutMs:
      positive(
        config?.getOptionalNumber('timeoutSeconds'),
        DEFAULT_METRICS_TIMEOUT_SECONDS,
        key('timeoutSeconds'),
      ) * 1000,
    cacheTtlMs:
      positive(
        config?.getOptionalNumber('cacheTtlSeconds'),
        DEFAULT_METRICS_CACHE_TTL_SECONDS,
        key('cacheTtlSeconds'),
      ) * 1000,
    findingsWindow: window,
    thresholds: {
      ...DEFAULT_TRAFFIC_THRESHOLDS,
      minRequests: positive(
        config?.getOptionalNumber('minRequests'),
        DEFAULT_TRAFFIC_THRESHOLDS.minRequests,
        key('minRequests'),
      ),
    },
  };
}
