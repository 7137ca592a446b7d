/*
 * Live traffic per window, read from the metrics store with two PromQL queries (requests, latency histogram)
 * that cover every service. Results are cached per window for a short TTL, and concurrent callers share the
 * query in flight, so the store's load does not grow with page views. A store that is down, slow or rejects the
 * credentials yields a result with a status and a reason, never an exception.
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  analyzeTraffic,
  clusterNameResolver,
  Finding,
  MeshSnapshot,
  MetricsStatus,
  TrafficData,
  TrafficThresholds,
  TrafficWindow,
} from '@internal/plugin-service-mesh-common';
import type { ResilientCacheHealth } from '../cache/ResilientCache';
import { MeshSnapshotService } from '../snapshot/MeshSnapshotService';
import type { MetricsConfig } from './config';
import { resolveMetricsSource } from './metricsSource';
import {
  displayUrl,
  PrometheusClient,
  PrometheusQueryError,
} from './PrometheusClient';
import {
  latencyQuery,
  parseHistograms,
  parseRequests,
  requestsQuery,
} from './queries';

/**
 * What one attempt to read a window gave.
 *
 * @public
 */
export interface TrafficResult {
  status: MetricsStatus;
  reason?: string;
  window: TrafficWindow;
  /** When the store was asked (or the attempt made), ISO 8601. */
  generatedAt: string;
  source?: { url: string; from: 'config' | 'serviceMesh' };
  /** Present when status is `ok`. */
  data?: TrafficData;
  /** Time the queries took, and how many series they returned. */
  durationMs: number;
  series: number;
}

/**
 * Live traffic from the mesh's metrics store.
 *
 * @public
 */
export interface MeshTrafficService {
  /** The window's traffic: cached for the TTL; concurrent callers share one query. Never throws. */
  traffic(window: TrafficWindow): Promise<TrafficResult>;
  /** The last result for the window, however old, without querying. */
  peek(window: TrafficWindow): TrafficResult | undefined;
  /** MESH080/081 of a result over a snapshot (memoised per result and snapshot). */
  findings(result: TrafficResult, snapshot: MeshSnapshot): Finding[];
  readonly findingsWindow: TrafficWindow;
  readonly thresholds: TrafficThresholds;
  /** The metrics store and the shared cache as last seen (never queries); for `/health`. */
  health?(): TrafficHealth;
}

/** @public */
export interface TrafficHealth {
  metrics: { status: MetricsStatus | 'unknown'; reason?: string };
  cache?: ResilientCacheHealth;
}

/** Where results are shared between replicas (Backstage's CacheService behind ResilientCache). */
export interface SharedTrafficCache {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlMs: number): Promise<void>;
  health(): ResilientCacheHealth;
}

export interface MeshTrafficServiceOptions {
  logger: LoggerService;
  config: MetricsConfig;
  snapshot: Pick<MeshSnapshotService, 'current'>;
  fetch?: typeof fetch;
  now?: () => Date;
  /**
   * Results shared with the other replicas, so the store is queried once per window and TTL across all of
   * them rather than once per replica. Its loss only costs that: each replica then queries for itself.
   */
  shared?: SharedTrafficCache;
}

/** Failures are retried sooner than successes are refreshed, so a recovered store shows up quickly. */
const FAILURE_TTL_MS = 15_000;

export class DefaultMeshTrafficService implements MeshTrafficService {
  readonly #logger: LoggerService;
  readonly #config: MetricsConfig;
  readonly #snapshot: Pick<MeshSnapshotService, 'current'>;
  readonly #fetch?: typeof fetch;
  readonly #now: () => Date;
  readonly #cache = new Map<
    TrafficWindow,
    { key: string; result: TrafficResult; expiresAt: number }
  >();
  readonly #inFlight = new Map<string, Promise<TrafficResult>>();
  readonly #findings = new WeakMap<
    TrafficResult,
    { snapshot: MeshSnapshot; findings: Finding[] }
  >();
  #lastStatus: string | undefined;
  readonly #shared?: SharedTrafficCache;

  static create(options: MeshTrafficServiceOptions): DefaultMeshTrafficService {
    return new DefaultMeshTrafficService(options);
  }

  private constructor(options: MeshTrafficServiceOptions) {
    this.#logger = options.logger;
    this.#config = options.config;
    this.#snapshot = options.snapshot;
    this.#fetch = options.fetch;
    this.#now = options.now ?? (() => new Date());
    this.#shared = options.shared;
  }

  health(): TrafficHealth {
    const last = this.peek(this.findingsWindow);
    return {
      metrics: last
        ? {
            status: last.status,
            ...(last.reason ? { reason: last.reason } : {}),
          }
        : { status: 'unknown' },
      ...(this.#shared ? { cache: this.#shared.health() } : {}),
    };
  }

  get findingsWindow(): TrafficWindow {
    return this.#config.findingsWindow;
  }

  get thresholds(): TrafficThresholds {
    return this.#config.thresholds;
  }

  peek(window: TrafficWindow): TrafficResult | undefined {
    return this.#cache.get(window)?.result;
  }

  async traffic(window: TrafficWindow): Promise<TrafficResult> {
    const { snapshot } = await this.#snapshot.current();
    const source = resolveMetricsSource(this.#config, snapshot);
    if (source.url === undefined) {
      const result: TrafficResult = {
        status: 'unconfigured',
        reason: source.reason,
        window,
        generatedAt: this.#now().toISOString(),
        durationMs: 0,
        series: 0,
      };
      this.#cache.set(window, { key: '', result, expiresAt: 0 });
      return result;
    }

    const key = `${window} ${source.url}`;
    const cached = this.#cache.get(window);
    if (cached?.key === key && cached.expiresAt > Date.now())
      return cached.result;

    let pending = this.#inFlight.get(key);
    if (!pending) {
      pending = this.#sharedOrQuery(window, key, source, snapshot)
        .then(result => {
          this.#cache.set(window, {
            key,
            result,
            expiresAt:
              Date.now() +
              (result.status === 'ok'
                ? this.#config.cacheTtlMs
                : Math.min(FAILURE_TTL_MS, this.#config.cacheTtlMs)),
          });
          this.#logStatus(result);
          return result;
        })
        .finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, pending);
    }
    return pending;
  }

  findings(result: TrafficResult, snapshot: MeshSnapshot): Finding[] {
    if (result.status !== 'ok' || !result.data) return [];
    const memo = this.#findings.get(result);
    if (memo?.snapshot === snapshot) return memo.findings;
    let findings: Finding[] = [];
    try {
      findings = analyzeTraffic(snapshot, result.data, {
        thresholds: this.#config.thresholds,
      });
    } catch (error) {
      this.#logger.warn(`Live traffic analysis failed: ${error}`);
    }
    this.#findings.set(result, { snapshot, findings });
    return findings;
  }

  /** A result another replica stored within the TTL, else a query (whose success is shared). */
  async #sharedOrQuery(
    window: TrafficWindow,
    key: string,
    source: { url: string; from: 'config' | 'serviceMesh' },
    snapshot: MeshSnapshot,
  ): Promise<TrafficResult> {
    const sharedKey = `traffic:${key}`;
    const shared = await this.#shared?.get<TrafficResult>(sharedKey);
    if (
      shared?.status === 'ok' &&
      Date.parse(shared.generatedAt) + this.#config.cacheTtlMs >
        this.#now().getTime()
    ) {
      return shared;
    }
    const result = await this.#query(window, source, snapshot);
    if (result.status === 'ok') {
      await this.#shared?.set(sharedKey, result, this.#config.cacheTtlMs);
    }
    return result;
  }

  async #query(
    window: TrafficWindow,
    source: { url: string; from: 'config' | 'serviceMesh' },
    snapshot: MeshSnapshot,
  ): Promise<TrafficResult> {
    const measuredAt = this.#now();
    const started = Date.now();
    const shown = { url: displayUrl(source.url), from: source.from };
    const client = new PrometheusClient({
      baseUrl: source.url,
      // Configured credentials go to the configured URL, or to the discovered one when no URL is configured.
      auth: this.#config.auth,
      timeoutMs: this.#config.timeoutMs,
      fetch: this.#fetch,
    });
    const base = {
      window,
      generatedAt: measuredAt.toISOString(),
      source: shown,
    };
    try {
      // Both queries share the timeout: if the first fails the second is cancelled with it.
      const controller = new AbortController();
      const run = (q: string) =>
        client
          .query(q, { time: measuredAt, signal: controller.signal })
          .catch(error => {
            controller.abort();
            throw error;
          });
      const [requests, latency] = await Promise.all([
        run(requestsQuery(window)),
        run(latencyQuery(window)),
      ]);
      const clusterName = clusterNameResolver(snapshot);
      return {
        status: 'ok',
        ...base,
        data: {
          window,
          measuredAt: base.generatedAt,
          edges: parseRequests(requests, clusterName),
          histograms: parseHistograms(latency, clusterName),
        },
        durationMs: Date.now() - started,
        series: requests.length + latency.length,
      };
    } catch (error) {
      const failure =
        error instanceof PrometheusQueryError
          ? error
          : new PrometheusQueryError(
              'error',
              `Reading live traffic failed: ${
                error instanceof Error ? error.message : String(error)
              }`,
            );
      return {
        status: failure.status,
        reason: failure.message,
        ...base,
        durationMs: Date.now() - started,
        series: 0,
      };
    }
  }

  #logStatus(result: TrafficResult) {
    const status = `${result.status} ${result.source?.url ?? ''}`;
    if (status !== this.#lastStatus) {
      if (result.status === 'ok') {
        this.#logger.info(
          `Reading live traffic from ${result.source?.url} (${result.source?.from})`,
        );
      } else {
        this.#logger.warn(`No live traffic: ${result.reason}`);
      }
      this.#lastStatus = status;
    }
    this.#logger.debug(
      `Live traffic ${result.window}: ${result.status} in ${result.durationMs} ms, ${result.series} series`,
    );
  }
}
