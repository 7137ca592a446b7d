/**
 * A failed Kubernetes API call with a short message: client-node's ApiException text carries the whole response
 * (headers included), which does not belong in a task log.
 */
export class KubeRequestError extends Error {
  readonly name = 'KubeRequestError';

  constructor(
    message: string,
    /** HTTP status; undefined when the API server did not answer (refused, timeout, TLS). */
    readonly statusCode?: number,
    /** `reason` of the Kubernetes Status object: NotFound, AlreadyExists, Conflict, Forbidden… */
    readonly reason?: string,
  ) {
    super(message);
  }

  /** From whatever client-node threw: an ApiException (code + body text) or a fetch/abort error. */
  static from(operation: string, error: unknown): KubeRequestError {
    if (error instanceof KubeRequestError) return error;
    const e = error as {
      code?: unknown;
      body?: unknown;
      message?: unknown;
      name?: unknown;
      type?: unknown;
    };
    if (typeof e?.code === 'number') {
      const status = parseStatus(e.body);
      const text = status.message ?? statusText(e.code);
      return new KubeRequestError(
        `${operation}: ${e.code} ${text}`,
        e.code,
        status.reason,
      );
    }
    if (e?.name === 'AbortError' || e?.type === 'aborted') {
      return new KubeRequestError(
        `${operation}: no answer in time (timed out)`,
      );
    }
    const message = typeof e?.message === 'string' ? e.message : String(error);
    return new KubeRequestError(`${operation}: ${message}`);
  }
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

export function isStatus(error: unknown, statusCode: number): boolean {
  return error instanceof KubeRequestError && error.statusCode === statusCode;
}
