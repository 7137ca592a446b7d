/*
 * A minimal client for the Prometheus HTTP query API (`POST /api/v1/query`), which VictoriaMetrics serves too.
 * Every failure becomes a PrometheusQueryError with the status the traffic views show: the store being down,
 * slow or rejecting the credentials degrades to "no live data", never to an error page.
 */
import type { MetricsStatus } from '@internal/plugin-service-mesh-common';

export type MetricsAuth =
  | { bearerToken: string }
  | { username: string; password: string };

export interface InstantSample {
  metric: Record<string, string>;
  value: number;
}

export class PrometheusQueryError extends Error {
  readonly status: Exclude<MetricsStatus, 'ok' | 'unconfigured'>;

  constructor(
    status: Exclude<MetricsStatus, 'ok' | 'unconfigured'>,
    message: string,
  ) {
    super(message);
    this.name = 'PrometheusQueryError';
    this.status = status;
  }
}

/** Responses beyond this are refused rather than parsed (a query grouped by the wrong labels, say). */
const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

export interface PrometheusClientOptions {
  /** Base URL of the query API (the part before `/api/v1/query`). */
  baseUrl: string;
  auth?: MetricsAuth;
  timeoutMs: number;
  fetch?: typeof fetch;
}

/** The URL without credentials, query or fragment: safe to show and log. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return '(invalid URL)';
  }
}

function describeCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })
    ?.cause;
  if (cause?.code) return cause.code;
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}

export class PrometheusClient {
  readonly #baseUrl: string;
  readonly #headers: Record<string, string>;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;

  constructor(options: PrometheusClientOptions) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#timeoutMs = options.timeoutMs;
    this.#fetch = options.fetch ?? fetch;
    this.#headers = {
      Accept: 'application/json',
      'Content-Type': 'application/x-www-form-urlencoded',
    };
    const auth = options.auth;
    if (auth && 'bearerToken' in auth) {
      this.#headers.Authorization = `Bearer ${auth.bearerToken}`;
    } else if (auth) {
      this.#headers.Authorization = `Basic ${Buffer.from(
        `${auth.username}:${auth.password}`,
      ).toString('base64')}`;
    }
  }

  /** An instant vector query evaluated at `time`. The whole call is bounded by the timeout. */
  async query(
    promql: string,
    options: { time: Date; signal?: AbortSignal },
  ): Promise<InstantSample[]> {
    const where = displayUrl(this.#baseUrl);
    const seconds = this.#timeoutMs / 1000;
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const signal = options.signal
      ? AbortSignal.any([timeout, options.signal])
      : timeout;
    const body = new URLSearchParams({
      query: promql,
      time: (options.time.getTime() / 1000).toFixed(3),
    });

    let text: string;
    let status: number;
    try {
      const response = await this.#fetch(`${this.#baseUrl}/api/v1/query`, {
        method: 'POST',
        headers: this.#headers,
        body: body.toString(),
        signal,
        redirect: 'error',
      });
      status = response.status;
      const length = Number(response.headers.get('content-length') ?? 0);
      if (length > MAX_RESPONSE_BYTES) {
        await response.body?.cancel();
        throw new PrometheusQueryError(
          'error',
          `The metrics store at ${where} answered ${length} bytes, more than ${MAX_RESPONSE_BYTES}`,
        );
      }
      text = await response.text();
    } catch (error) {
      if (error instanceof PrometheusQueryError) throw error;
      if (timeout.aborted) {
        throw new PrometheusQueryError(
          'unreachable',
          `The metrics store at ${where} did not answer within ${seconds}s`,
        );
      }
      if (options.signal?.aborted) throw error;
      throw new PrometheusQueryError(
        'unreachable',
        `Cannot reach the metrics store at ${where}: ${describeCause(error)}`,
      );
    }

    if (status === 401 || status === 403) {
      throw new PrometheusQueryError(
        'unauthorized',
        `The metrics store at ${where} rejected the credentials (HTTP ${status}); check serviceMesh.metrics.bearerToken or basicAuth`,
      );
    }
    let parsed: {
      status?: string;
      error?: string;
      errorType?: string;
      data?: { resultType?: string; result?: unknown };
    };
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new PrometheusQueryError(
        'error',
        `The metrics store at ${where} answered HTTP ${status} with a body that is not the Prometheus API's JSON: ${text
          .slice(0, 120)
          .replace(/\s+/g, ' ')}`,
      );
    }
    if (status >= 400 || parsed.status !== 'success') {
      throw new PrometheusQueryError(
        'error',
        `The metrics store at ${where} answered HTTP ${status}: ${
          parsed.errorType ? `${parsed.errorType}: ` : ''
        }${String(parsed.error ?? 'query failed').slice(0, 300)}`,
      );
    }
    if (
      parsed.data?.resultType !== 'vector' ||
      !Array.isArray(parsed.data.result)
    ) {
      throw new PrometheusQueryError(
        'error',
        `The metrics store at ${where} answered a ${String(
          parsed.data?.resultType,
        )} instead of an instant vector`,
      );
    }
    const samples: InstantSample[] = [];
    for (const item of parsed.data.result as Array<{
      metric?: Record<string, unknown>;
      value?: unknown[];
    }>) {
      const value = Number(item?.value?.[1]);
      if (!Number.isFinite(value)) continue;
      const metric: Record<string, string> = {};
      for (const [k, v] of Object.entries(item?.metric ?? {})) {
        if (typeof v === 'string') metric[k] = v;
      }
      samples.push({ metric, value });
    }
    return samples;
  }
}
