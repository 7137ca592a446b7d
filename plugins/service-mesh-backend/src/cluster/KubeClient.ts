/*
 * A small read-only JSON client for the Kubernetes API. It uses client-node's KubeConfig for credentials and TLS
 * (tokens, CA data, client certificates, exec plugins), and plain node:http(s) for the requests, because the
 * collectors need things the generated typed APIs do not give: raw JSON (a malformed object must not fail a whole
 * list in a deserializer), a custom Accept header for metadata-only lists, and one AbortSignal that cancels every
 * request of a cluster when its timeout fires.
 */
import http from 'node:http';
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeApiError } from './KubeApiError';

/** Accept header for a metadata-only list: the API server sends names, labels and annotations, never `data`. */
export const PARTIAL_OBJECT_METADATA_LIST_ACCEPT =
  'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';

const PAGE_SIZE = 500;
const MAX_PAGES = 1000;
const MAX_BODY_BYTES = 256 * 1024 * 1024;
const RETRY_DELAYS_MS = [100, 400];

/** @public */
export interface KubeListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Ask for a PartialObjectMetadataList (metadata only), e.g. for Secrets. */
  metadataOnly?: boolean;
}

/**
 * Read-only access to one cluster's API.
 *
 * @public
 */
export interface KubeClient {
  /** Every item of a list path (e.g. `/api/v1/pods`), following `continue` tokens page by page. */
  list(path: string, options?: KubeListOptions): Promise<unknown[]>;
  /** One object; rejects with a KubeApiError (404 included). */
  get(path: string): Promise<unknown>;
}

export interface KubeClientOptions {
  /** Aborts every request of this client (the per-cluster timeout). */
  signal?: AbortSignal;
}

/** A KubeClient over the credentials and TLS settings of a KubeConfig's current context. */
export function createKubeClient(
  kc: KubeConfig,
  options: KubeClientOptions = {},
): KubeClient {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('KubeConfig has no current cluster');
  const server = cluster.server.replace(/\/+$/, '');
  const { signal } = options;

  // Credentials and the TLS agent are resolved once per client; the snapshot creates a client per refresh, so
  // rotating credentials (token files, exec plugins) stay current and connections are reused within a refresh.
  let connection: Promise<https.RequestOptions> | undefined;
  const connect = () => {
    connection ??= (async () => {
      const opts: https.RequestOptions = {};
      await kc.applyToHTTPSOptions(opts);
      return opts;
    })();
    return connection;
  };

  async function request(
    path: string,
    query: URLSearchParams,
    accept: string,
  ): Promise<unknown> {
    const opts = await connect();
    const url = new URL(server + path);
    query.forEach((value, key) => url.searchParams.set(key, value));
    const headers: Record<string, string> = { Accept: accept };
    for (const [key, value] of Object.entries(opts.headers ?? {})) {
      if (value !== undefined) headers[key] = String(value);
    }
    if (opts.auth)
      headers.Authorization = `Basic ${Buffer.from(opts.auth).toString(
        'base64',
      )}`;
    const transport = url.protocol === 'http:' ? http : https;

    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortError(path, signal));
        return;
      }
      const req = transport.request(
        url,
        { method: 'GET', agent: opts.agent, headers, signal },
        res => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BODY_BYTES) {
              req.destroy(
                new Error(`response larger than ${MAX_BODY_BYTES} bytes`),
              );
              return;
            }
            chunks.push(chunk);
          });
          res.on('error', err => reject(networkError(path, err, signal)));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            let body: unknown;
            try {
              body = text ? JSON.parse(text) : undefined;
            } catch {
              body = undefined;
            }
            if (status >= 400) {
              const statusObject = (body ?? {}) as {
                message?: unknown;
                reason?: unknown;
              };
              const message =
                typeof statusObject.message === 'string'
                  ? statusObject.message
                  : text.slice(0, 200);
              reject(
                new KubeApiError(`GET ${path}: ${status} ${message}`.trim(), {
                  path,
                  statusCode: status,
                  reason:
                    typeof statusObject.reason === 'string'
                      ? statusObject.reason
                      : undefined,
                }),
              );
              return;
            }
            if (
              body === undefined ||
              typeof body !== 'object' ||
              body === null
            ) {
              reject(
                new KubeApiError(
                  `GET ${path}: the response is not a JSON object`,
                  {
                    path,
                    statusCode: status,
                    reason: 'InvalidResponse',
                  },
                ),
              );
              return;
            }
            resolve(body);
          });
        },
      );
      req.on('error', err => reject(networkError(path, err, signal)));
      req.end();
    });
  }

  // Transient failures (5xx, 429, reset connections) are retried briefly; anything else is final.
  async function requestWithRetry(
    path: string,
    query: URLSearchParams,
    accept: string,
  ) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await request(path, query, accept);
      } catch (error) {
        const delay = RETRY_DELAYS_MS[attempt];
        if (delay === undefined || signal?.aborted || !isTransient(error))
          throw error;
        await sleep(delay, signal);
      }
    }
  }

  return {
    async list(path, listOptions = {}) {
      const accept = listOptions.metadataOnly
        ? PARTIAL_OBJECT_METADATA_LIST_ACCEPT
        : 'application/json';
      const items: unknown[] = [];
      let continueToken: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
        if (listOptions.labelSelector)
          query.set('labelSelector', listOptions.labelSelector);
        if (listOptions.fieldSelector)
          query.set('fieldSelector', listOptions.fieldSelector);
        if (continueToken) query.set('continue', continueToken);
        const body = (await requestWithRetry(path, query, accept)) as {
          items?: unknown;
          metadata?: { continue?: unknown };
        };
        if (!Array.isArray(body.items)) {
          throw new KubeApiError(
            `GET ${path}: the response has no items array`,
            {
              path,
              statusCode: 200,
              reason: 'InvalidResponse',
            },
          );
        }
        items.push(...body.items);
        const next = body.metadata?.continue;
        if (typeof next !== 'string' || next === '') return items;
        continueToken = next;
      }
      throw new KubeApiError(`GET ${path}: more than ${MAX_PAGES} pages`, {
        path,
        reason: 'TooManyPages',
      });
    },
    async get(path) {
      return requestWithRetry(path, new URLSearchParams(), 'application/json');
    },
  };
}

function isTransient(error: unknown): boolean {
  if (!(error instanceof KubeApiError)) return false;
  const status = error.details.statusCode;
  if (status !== undefined)
    return (
      status === 429 ||
      status === 500 ||
      status === 502 ||
      status === 503 ||
      status === 504
    );
  return error.details.code === 'ECONNRESET' || error.details.code === 'EPIPE';
}

function abortError(path: string, signal: AbortSignal): KubeApiError {
  const reason =
    signal.reason instanceof Error ? signal.reason.message : 'aborted';
  return new KubeApiError(`GET ${path}: ${reason}`, {
    path,
    code: 'ABORT_ERR',
  });
}

function networkError(
  path: string,
  err: Error & { code?: string },
  signal?: AbortSignal,
): KubeApiError {
  if (signal?.aborted) return abortError(path, signal);
  return new KubeApiError(`GET ${path}: ${err.message}`, {
    path,
    code: err.code,
  });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
