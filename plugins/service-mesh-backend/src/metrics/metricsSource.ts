/*
 * Where to read metrics: `serviceMesh.metrics.url` when configured, else the `spec.prometheusURL` of the
 * ServiceMesh resources in the snapshot (Alauda points every mesh member at one VictoriaMetrics). A URL whose
 * `user:password@` the collector redacted is useless here; the configuration has to supply it then.
 */
import type { MeshSnapshot } from '@internal/plugin-service-mesh-common';
import { compareStrings } from './compare';
import type { MetricsConfig } from './config';

export type MetricsSource =
  | { url: string; from: 'config' | 'serviceMesh' }
  | { url?: undefined; reason: string };

function usableHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return (
      (u.protocol === 'http:' || u.protocol === 'https:') &&
      !u.username &&
      !u.password
    );
  } catch {
    return false;
  }
}

export function resolveMetricsSource(
  config: Pick<MetricsConfig, 'enabled' | 'url' | 'discoverFromServiceMesh'>,
  snapshot: MeshSnapshot,
): MetricsSource {
  if (!config.enabled) {
    return {
      reason:
        'Live traffic is switched off in the configuration (serviceMesh.metrics.enabled: false).',
    };
  }
  if (config.url) return { url: config.url, from: 'config' };
  if (!config.discoverFromServiceMesh) {
    return {
      reason:
        'No metrics store is configured: set serviceMesh.metrics.url to the Prometheus or VictoriaMetrics query API.',
    };
  }

  // Most ServiceMesh resources name the same store; take the most common URL, ties by cluster name.
  const counts = new Map<string, { count: number; first: string }>();
  let redacted = false;
  const meshes = (snapshot.clusters ?? [])
    .flatMap(c => c.data?.serviceMeshes ?? [])
    .sort((a, b) => compareStrings(a.cluster, b.cluster));
  for (const mesh of meshes) {
    const url = mesh.prometheusURL?.trim();
    if (!url) continue;
    if (url.includes('REDACTED@')) {
      redacted = true;
      continue;
    }
    if (!usableHttpUrl(url)) continue;
    const key = url.replace(/\/+$/, '');
    const entry = counts.get(key) ?? { count: 0, first: mesh.cluster };
    entry.count += 1;
    counts.set(key, entry);
  }
  const best = [...counts.entries()].sort(
    ([, a], [, b]) => b.count - a.count || compareStrings(a.first, b.first),
  )[0];
  if (best) return { url: best[0], from: 'serviceMesh' };
  if (redacted) {
    return {
      reason:
        'The ServiceMesh prometheusURL carries credentials (user:password@), which the plugin never keeps: set serviceMesh.metrics.url and serviceMesh.metrics.basicAuth instead.',
    };
  }
  return {
    reason:
      'No metrics store is configured: no ServiceMesh resource has spec.prometheusURL, and serviceMesh.metrics.url is not set.',
  };
}
