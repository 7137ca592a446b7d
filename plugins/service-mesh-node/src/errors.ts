/*
 * The two errors of cluster access, for the read path (KubeClient) and the write path (the onboarding action's
 * client-node calls) alike. They are told apart by `name`, as @backstage/errors does, never by `instanceof`: a
 * second copy of this package in node_modules must not change how a failure is classified.
 */
import { isError } from '@backstage/errors';
import type { CollectionErrorCode } from '@internal/plugin-service-mesh-common';

/** @public */
export interface KubeApiErrorDetails {
  /** Request path without the query, when known. */
  path?: string;
  /** HTTP status, for an answer from the API server. */
  statusCode?: number;
  /** `reason` of the Kubernetes Status object: Forbidden, NotFound, AlreadyExists, Conflict… */
  reason?: string;
  /** Node error code for a failure before any answer: ECONNREFUSED, ENOTFOUND, ETIMEDOUT, ABORT_ERR… */
  code?: string;
}

/**
 * A failed Kubernetes API call, with a short message (never the response headers) and what is needed to
 * classify it: the HTTP status, or the network failure.
 *
 * @public
 */
export class KubeApiError extends Error {
  readonly name = 'KubeApiError';

  constructor(message: string, readonly details: KubeApiErrorDetails) {
    super(message);
  }

  get statusCode(): number | undefined {
    return this.details.statusCode;
  }

  get reason(): string | undefined {
    return this.details.reason;
  }

  /** No answer from the API server: refused, reset, DNS, TLS, timeout or aborted. */
  get isNetworkError(): boolean {
    return this.details.statusCode === undefined;
  }

  /**
   * From whatever client-node's typed APIs threw: an ApiException (code + body text, whose message carries the
   * whole response, headers included) or a fetch/abort error.
   */
  static from(operation: string, error: unknown): KubeApiError {
    if (isKubeApiError(error)) return error;
    const e = error as {
      code?: unknown;
      body?: unknown;
      message?: unknown;
      name?: unknown;
      type?: unknown;
    };
    if (typeof e?.code === 'number') {
      const status = parseStatus(e.body);
      return new KubeApiError(
        `${operation}: ${e.code} ${status.message ?? statusText(e.code)}`,
        { statusCode: e.code, reason: status.reason },
      );
    }
    if (e?.name === 'AbortError' || e?.type === 'aborted') {
      return new KubeApiError(`${operation}: no answer in time (timed out)`, {
        code: 'ABORT_ERR',
      });
    }
    const message = typeof e?.message === 'string' ? e.message : String(error);
    return new KubeApiError(`${operation}: ${message}`, {
      code: typeof e?.code === 'string' ? e.code : undefined,
    });
  }
}

/** @public */
export function isKubeApiError(error: unknown): error is KubeApiError {
  return isError(error) && error.name === 'KubeApiError';
}

/** True when `error` is a KubeApiError with this HTTP status. @public */
export function isKubeStatus(error: unknown, statusCode: number): boolean {
  return isKubeApiError(error) && error.details.statusCode === statusCode;
}

/**
 * Why a cluster cannot be read server-side, with the fix: a client-side auth provider (MESH094), an unknown
 * provider or locator (MESH095), missing or rejected credentials (MESH096), or a token endpoint or cluster
 * source that did not answer (MESH097).
 *
 * @public
 */
export interface ClusterAccessProblem {
  code: Extract<
    CollectionErrorCode,
    'MESH094' | 'MESH095' | 'MESH096' | 'MESH097'
  >;
  message: string;
  /** The exact change that fixes it. */
  hint: string;
}

/**
 * The plugin could not get credentials for a cluster (or may not use the ones configured); nothing was sent
 * to the cluster.
 *
 * @public
 */
export class ClusterAccessError extends Error {
  readonly name = 'ClusterAccessError';

  constructor(
    readonly problem: ClusterAccessProblem,
    options?: { cause?: unknown },
  ) {
    super(problem.message, options);
  }
}

/** @public */
export function isClusterAccessError(
  error: unknown,
): error is ClusterAccessError {
  return isError(error) && error.name === 'ClusterAccessError';
}

function parseStatus(body: unknown): { message?: string; reason?: string } {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return { message: body.slice(0, 200) || undefined };
    }
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const { message, reason } = parsed as { message?: unknown; reason?: unknown };
  return {
    message: typeof message === 'string' ? message : undefined,
    reason: typeof reason === 'string' ? reason : undefined,
  };
}

function statusText(code: number): string {
  switch (code) {
    case 401:
      return 'Unauthorized: the credentials configured for this cluster were rejected';
    case 403:
      return 'Forbidden';
    case 404:
      return 'Not Found';
    case 409:
      return 'Conflict';
    default:
      return 'request failed';
  }
}
