/*
 * Synthetic Istio metrics for a mesh: `istio_requests_total` and `istio_request_duration_milliseconds_bucket`
 * as the client sidecars report them (`reporter="source"`), one sample per step, in the JSON-lines format of
 * VictoriaMetrics' `/api/v1/import`. Counters are monotonic (cumulative sums of non-negative increments), rates
 * carry a little seeded noise, and latency follows a log-normal distribution given by its median and p95.
 */
import { latencyCdf } from '@internal/plugin-service-mesh-common/testUtils';

/** One client cluster's calls to one service. */
export interface TrafficFlowSpec {
  namespace: string;
  service: string;
  sourceCluster: string;
  /** Calling workload, for realistic labels. */
  sourceWorkload?: string;
  /** Requests per second from this client cluster, every destination together. */
  rps: number;
  /** Relative weight per destination cluster (e.g. 70/20/10). */
  split: Record<string, number>;
  /** 5xx ratio (0–1), overall or per destination cluster. Default 0. */
  errorRatio?: number | Record<string, number>;
  /** Latency per destination cluster in ms. Default: 10 ms median, 30 ms p95. */
  latency?: Record<string, { median: number; p95: number }>;
}

export interface GenerateOptions {
  flows: TrafficFlowSpec[];
  /** First and last sample time, in ms since the epoch. */
  start: number;
  end: number;
  /** Seconds between samples. Default 60. */
  stepSeconds?: number;
  /** Relative noise on the rate per step (0.1 = ±10%). Default 0.1. */
  jitter?: number;
  seed?: number;
}

/** One series in VictoriaMetrics' import format. */
export interface ImportSeries {
  metric: Record<string, string>;
  values: number[];
  timestamps: number[];
}

/**
 * Bucket bounds (ms): Istio's defaults up to 10 s. The larger ones (30 s … 1 h) are left out: they hold every
 * request here and would only make the data bigger.
 */
export const DURATION_BUCKETS = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000,
];

/** mulberry32: a small deterministic PRNG, so the same options give the same data. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Share of a log-normal latency (median, p95 in ms) at or below `ms`: the model -common's tests use too. */
export { latencyCdf };

function labels(
  flow: TrafficFlowSpec,
  destination: string,
): Record<string, string> {
  const workload = flow.sourceWorkload ?? 'client';
  return {
    reporter: 'source',
    source_cluster: flow.sourceCluster,
    source_workload: workload,
    source_workload_namespace: flow.namespace,
    source_canonical_service: workload,
    destination_cluster: destination,
    destination_service: `${flow.service}.${flow.namespace}.svc.cluster.local`,
    destination_service_name: flow.service,
    destination_service_namespace: flow.namespace,
    destination_workload: flow.service,
    destination_workload_namespace: flow.namespace,
    destination_canonical_service: flow.service,
    request_protocol: 'http',
    connection_security_policy: 'unknown',
  };
}

function errorRatioFor(flow: TrafficFlowSpec, destination: string): number {
  if (typeof flow.errorRatio === 'number') return flow.errorRatio;
  return flow.errorRatio?.[destination] ?? 0;
}

/** Every series of every flow, with samples from `start` to `end`. */
export function generateTraffic(options: GenerateOptions): ImportSeries[] {
  const step = (options.stepSeconds ?? 60) * 1000;
  const jitter = options.jitter ?? 0.1;
  const next = random(options.seed ?? 1);
  const timestamps: number[] = [];
  for (let t = options.start; t <= options.end; t += step) timestamps.push(t);

  const series: ImportSeries[] = [];
  for (const flow of options.flows) {
    const totalWeight = Object.values(flow.split).reduce(
      (s, w) => s + Math.max(0, w),
      0,
    );
    if (totalWeight <= 0) continue;
    for (const [destination, weight] of Object.entries(flow.split)) {
      if (weight <= 0) continue;
      const base = labels(flow, destination);
      const errorRatio = errorRatioFor(flow, destination);
      const { median, p95 } = flow.latency?.[destination] ?? {
        median: 10,
        p95: 30,
      };
      const cdf = DURATION_BUCKETS.map(le => latencyCdf(le, median, p95));
      const perStep = (flow.rps * (weight / totalWeight) * step) / 1000;

      // Float accumulators, one per counter; samples are their floor, which keeps every counter monotonic
      // (and each bucket at most +Inf: a minimum of two monotonic sequences is monotonic).
      let succeeded = 0;
      let errors = 0;
      const buckets = new Array(cdf.length).fill(0);
      const ok: number[] = [];
      const failed: number[] = [];
      const bucketValues: number[][] = cdf.map(() => []);
      const inf: number[] = [];
      for (let i = 0; i < timestamps.length; i++) {
        const n = i === 0 ? 0 : perStep * (1 + jitter * (2 * next() - 1));
        succeeded += n * (1 - errorRatio);
        errors += n * errorRatio;
        for (let b = 0; b < cdf.length; b++) buckets[b] += n * cdf[b];
        const totalInt = Math.floor(succeeded + errors);
        ok.push(Math.floor(succeeded));
        failed.push(Math.floor(errors));
        for (let b = 0; b < cdf.length; b++)
          bucketValues[b].push(Math.min(Math.floor(buckets[b]), totalInt));
        inf.push(totalInt);
      }
      series.push({
        metric: {
          __name__: 'istio_requests_total',
          ...base,
          response_code: '200',
          response_flags: '-',
        },
        values: ok,
        timestamps,
      });
      if (errorRatio > 0) {
        series.push({
          metric: {
            __name__: 'istio_requests_total',
            ...base,
            response_code: '503',
            response_flags: 'URX',
          },
          values: failed,
          timestamps,
        });
      }
      DURATION_BUCKETS.forEach((le, b) => {
        series.push({
          metric: {
            __name__: 'istio_request_duration_milliseconds_bucket',
            ...base,
            le: String(le),
          },
          values: bucketValues[b],
          timestamps,
        });
      });
      series.push({
        metric: {
          __name__: 'istio_request_duration_milliseconds_bucket',
          ...base,
          le: '+Inf',
        },
        values: inf,
        timestamps,
      });
    }
  }
  return series;
}

/** Series as the JSON lines `/api/v1/import` reads, in chunks of at most `maxLines` lines. */
export function* toImportChunks(
  series: ImportSeries[],
  maxLines = 200,
): Generator<string> {
  for (let i = 0; i < series.length; i += maxLines) {
    yield `${series
      .slice(i, i + maxLines)
      .map(s => JSON.stringify(s))
      .join('\n')}\n`;
  }
}

/** Imports series into VictoriaMetrics and flushes them so queries see them at once. */
export async function importTraffic(
  url: string,
  series: ImportSeries[],
  options: { auth?: { username: string; password: string } } = {},
): Promise<{ series: number; samples: number }> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-ndjson',
  };
  if (options.auth) {
    headers.Authorization = `Basic ${Buffer.from(
      `${options.auth.username}:${options.auth.password}`,
    ).toString('base64')}`;
  }
  const base = url.replace(/\/+$/, '');
  for (const chunk of toImportChunks(series)) {
    const res = await fetch(`${base}/api/v1/import`, {
      method: 'POST',
      headers,
      body: chunk,
    });
    if (!res.ok) {
      throw new Error(
        `Import into ${base} failed: HTTP ${res.status} ${await res.text()}`,
      );
    }
  }
  // Rows are buffered in memory for a second or so; this makes them searchable now.
  await fetch(`${base}/internal/force_flush`, { headers }).catch(
    () => undefined,
  );
  return {
    series: series.length,
    samples: series.reduce((n, s) => n + s.values.length, 0),
  };
}
