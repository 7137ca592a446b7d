/*
 * A minimal client for the Prometheus HTTP query API (`POST /api/v1/query` and `/api/v1/query_range`), which
 * VictoriaMetrics serves too.
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
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/** One series of a range query: its labels and `[unix seconds, value]` points. */
export interface RangeSeries {
  metric: Record<string, string>;
  points: Array<[number, number]>;
}

export interface PrometheusClientOptions {
  /** Base URL of the query API (the part before `/api/v1/query`). */
  baseUrl: string;
  auth?: MetricsAuth;
  timeoutMs: number;
  fetch?: typeof fetch;
  /** Bytes of a decoded response body at most; default 32 MiB. */
  maxResponseBytes?: number;
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
  readonly #maxBytes: number;

  constructor(options: PrometheusClientOptions) {
    this.#maxBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
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
    const data = await this.#call(
      '/api/v1/query',
      { query: promql, time: seconds(options.time) },
      'vector',
      options.signal,
    );
    const samples: InstantSample[] = [];
    for (const item of data as Array<{
      metric?: Record<string, unknown>;
      value?: unknown[];
    }>) {
      const value = Number(item?.value?.[1]);
      if (!Number.isFinite(value)) continue;
      samples.push({ metric: labels(item?.metric), value });
    }
    return samples;
  }

  /**
   * A range query (`/api/v1/query_range`): one series per label set, a point per `stepSeconds` from `start` to
   * `end`. Points that are not finite numbers (NaN of an empty ratio, say) are left out.
   */
  async queryRange(
    promql: string,
    options: {
      start: Date;
      end: Date;
      stepSeconds: number;
      signal?: AbortSignal;
    },
  ): Promise<RangeSeries[]> {
    const data = await this.#call(
      '/api/v1/query_range',
      {
        query: promql,
        start: seconds(options.start),
        end: seconds(options.end),
        step: String(options.stepSeconds),
      },
      'matrix',
      options.signal,
    );
    const series: RangeSeries[] = [];
    for (const item of data as Array<{
      metric?: Record<string, unknown>;
      values?: unknown[];
    }>) {
      const points: Array<[number, number]> = [];
      for (const pair of Array.isArray(item?.values) ? item.values : []) {
        const [t, v] = Array.isArray(pair) ? pair : [];
        const time = Number(t);
        const value = Number(v);
        if (Number.isFinite(time) && Number.isFinite(value))
          points.push([time, value]);
      }
      series.push({ metric: labels(item?.metric), points });
    }
    return series;
  }

  /** POSTs a query and returns `data.result` of the expected type; every failure is a PrometheusQueryError. */
  async #call(
    path: string,
    params: Record<string, string>,
    resultType: 'vector' | 'matrix',
    callerSignal?: AbortSignal,
  ): Promise<unknown[]> {
    const where = displayUrl(this.#baseUrl);
    const timeoutSeconds = this.#timeoutMs / 1000;
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const signal = callerSignal
      ? AbortSignal.any([timeout, callerSignal])
      : timeout;

    let text: string;
    let status: number;
    try {
      const response = await this.#fetch(`${this.#baseUrl}${path}`, {
        method: 'POST',
        headers: this.#headers,
        body: new URLSearchParams(params).toString(),
        signal,
        redirect: 'error',
      });
      status = response.status;
      text = await readCapped(response, this.#maxBytes, where);
    } catch (error) {
      if (error instanceof PrometheusQueryError) throw error;
      if (timeout.aborted) {
        throw new PrometheusQueryError(
          'unreachable',
          `The metrics store at ${where} did not answer within ${timeoutSeconds}s`,
        );
      }
      if (callerSignal?.aborted) throw error;
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
      parsed.data?.resultType !== resultType ||
      !Array.isArray(parsed.data.result)
    ) {
      throw new PrometheusQueryError(
        'error',
        `The metrics store at ${where} answered a ${String(
          parsed.data?.resultType,
        )} instead of ${
          resultType === 'vector' ? 'an instant vector' : 'a range matrix'
        }`,
      );
    }
    return parsed.data.result;
  }
}

function seconds(time: Date): string {
  return (time.getTime() / 1000).toFixed(3);
}

function labels(metric: Record<string, unknown> | undefined) {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(metric ?? {})) {
    if (typeof v === 'string') out[k] = v;
  }
  return out;
}

/**
 * Reads the body counting bytes as they arrive and stops at `maxBytes`. `Content-Length` cannot be relied on:
 * a chunked answer has none, and for a compressed one it counts the compressed bytes, not what fetch inflates.
 */
export async function readCapped(
  response: Response,
  maxBytes: number,
  where: string,
): Promise<string> {
  const tooLarge = () =>
    new PrometheusQueryError(
      'error',
      `The metrics store at ${where} answered more than ${maxBytes} bytes; refused`,
    );
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes && !response.headers.get('content-encoding')) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let received = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}
