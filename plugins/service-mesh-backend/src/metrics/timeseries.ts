/*
 * Request rate, 5xx ratio and p95 latency over time per cluster pair, from the metrics store's range queries
 * (`/api/v1/query_range`): three queries per range, grouped by source and destination cluster (never one per
 * pair). Results are kept per range for the traffic TTL and shared by concurrent callers; a store that is down,
 * slow or rejects the credentials gives a status and a reason, never an exception.
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  clusterNameResolver,
  TimeSeriesRange,
  TrafficTimeSeries,
  TrafficTimeSeriesResponse,
  compareStrings,
} from '@internal/plugin-service-mesh-common';
import type { MeshSnapshotService } from '../snapshot/MeshSnapshotService';
import type { MetricsConfig } from './config';
import { resolveMetricsSource } from './metricsSource';
import {
  PrometheusClient,
  PrometheusQueryError,
  RangeSeries,
} from './PrometheusClient';

const RANGE_SECONDS: Record<TimeSeriesRange, number> = {
  '1h': 3600,
  '6h': 6 * 3600,
  '24h': 24 * 3600,
};
/** Points per series: enough for a readable line, small enough for the page. */
const POINTS = 60;

const PAIR = 'source_cluster, destination_cluster';

/** The three range queries; each rate covers at least one step so no request falls between points. */
export function timeSeriesQueries(stepSeconds: number) {
  const w = `${Math.max(300, stepSeconds)}s`;
  const requests = `sum by (${PAIR}) (rate(istio_requests_total{reporter="source"}[${w}]))`;
  return {
    requestRate: requests,
    errorRatio: `sum by (${PAIR}) (rate(istio_requests_total{reporter="source",response_code=~"5.."}[${w}])) / ${requests}`,
    p95Ms: `histogram_quantile(0.95, sum by (${PAIR}, le) (rate(istio_request_duration_milliseconds_bucket{reporter="source"}[${w}])))`,
  } as const;
}

export function stepFor(range: TimeSeriesRange): number {
  return RANGE_SECONDS[range] / POINTS;
}

/** Series of one metric, keyed by cluster names (Istio's cluster ids mapped through the snapshot). */
export function toTimeSeries(
  metric: TrafficTimeSeries['metric'],
  series: RangeSeries[],
  clusterName: (id: string) => string,
): TrafficTimeSeries[] {
  return series
    .filter(s => s.metric.source_cluster && s.metric.destination_cluster)
    .map(s => ({
      source: clusterName(s.metric.source_cluster),
      destination: clusterName(s.metric.destination_cluster),
      metric,
      points: s.points,
    }))
    .sort(
      (a, b) =>
        compareStrings(a.source, b.source) ||
        compareStrings(a.destination, b.destination),
    );
}

export interface MeshTimeSeriesServiceOptions {
  logger: LoggerService;
  config: MetricsConfig;
  snapshot: Pick<MeshSnapshotService, 'current'>;
  fetch?: typeof fetch;
  now?: () => Date;
}

export class MeshTimeSeriesService {
  readonly #options: MeshTimeSeriesServiceOptions;
  readonly #cache = new Map<
    string,
    { at: number; value: Promise<TrafficTimeSeriesResponse> }
  >();

  constructor(options: MeshTimeSeriesServiceOptions) {
    this.#options = options;
  }

  async timeseries(range: TimeSeriesRange): Promise<TrafficTimeSeriesResponse> {
    const { config } = this.#options;
    const { snapshot } = await this.#options.snapshot.current();
    const source = resolveMetricsSource(config, snapshot);
    const now = (this.#options.now ?? (() => new Date()))();
    const stepSeconds = stepFor(range);
    const base = { range, stepSeconds, generatedAt: now.toISOString() };
    if (source.url === undefined) {
      return {
        ...base,
        status: 'unconfigured',
        reason: source.reason,
        series: [],
      };
    }
    const key = `${range} ${source.url}`;
    const cached = this.#cache.get(key);
    if (cached && Date.now() - cached.at < config.cacheTtlMs)
      return cached.value;

    const client = new PrometheusClient({
      baseUrl: source.url,
      auth: config.auth,
      timeoutMs: config.timeoutMs,
      fetch: this.#options.fetch,
    });
    const clusterName = clusterNameResolver(snapshot);
    // Points on step boundaries, so repeated reads line up.
    const end = new Date(
      Math.floor(now.getTime() / 1000 / stepSeconds) * stepSeconds * 1000,
    );
    const start = new Date(end.getTime() - RANGE_SECONDS[range] * 1000);
    const value = (async (): Promise<TrafficTimeSeriesResponse> => {
      try {
        const queries = timeSeriesQueries(stepSeconds);
        const metrics = Object.keys(queries) as Array<keyof typeof queries>;
        const results = await Promise.all(
          metrics.map(m =>
            client.queryRange(queries[m], { start, end, stepSeconds }),
          ),
        );
        return {
          ...base,
          status: 'ok',
          series: metrics.flatMap((m, i) =>
            toTimeSeries(m, results[i], clusterName),
          ),
        };
      } catch (error) {
        this.#cache.delete(key);
        if (error instanceof PrometheusQueryError) {
          return {
            ...base,
            status: error.status,
            reason: error.message,
            series: [],
          };
        }
        this.#options.logger.warn(`Traffic time series failed: ${error}`);
        return { ...base, status: 'error', reason: String(error), series: [] };
      }
    })();
    this.#cache.set(key, { at: Date.now(), value });
    return value;
  }
}
