/**
 * A failed Kubernetes API call, with what the snapshot needs to classify it (HTTP status or network failure).
 *
 * @public
 */
export class KubeApiError extends Error {
  readonly name = 'KubeApiError';
  constructor(
    message: string,
    readonly details: {
      /** Request path without the query. */
      path: string;
      /** HTTP status, for an answer from the API server. */
      statusCode?: number;
      /** `reason` of the Kubernetes Status object, e.g. Forbidden, NotFound. */
      reason?: string;
      /** Node error code for a failure before any answer: ECONNREFUSED, ENOTFOUND, ETIMEDOUT, ABORT_ERR… */
      code?: string;
    },
  ) {
    super(message);
  }

  get statusCode(): number | undefined {
    return this.details.statusCode;
  }

  /** No answer from the API server: refused, reset, DNS, TLS, timeout or aborted. */
  get isNetworkError(): boolean {
    return this.details.statusCode === undefined;
  }
}
