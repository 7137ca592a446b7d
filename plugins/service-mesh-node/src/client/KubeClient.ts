/*
 * A small JSON client for the Kubernetes API. It uses client-node's KubeConfig for credentials and TLS
 * (tokens, CA data, client certificates, exec plugins), and plain node:http(s) for the requests, because the
 * collectors need things the generated typed APIs do not give: raw JSON (a malformed object must not fail a whole
 * list in a deserializer), a custom Accept header for metadata-only lists, and one AbortSignal that cancels every
 * request of a cluster when its timeout fires.
 *
 * Gentle on API servers: connections are kept alive for the whole read of a cluster (client-node's agents are
 * not keep-alive: one TCP/TLS handshake per page otherwise), at most MAX_CONCURRENT_REQUESTS requests of a
 * client are in flight, and `listPages` hands every page to the caller as soon as it is parsed, so a 100k-pod
 * list never sits in memory as raw objects.
 *
 * Credentials: a client made from a resolver (cluster access's auth strategies) resolves them on its first
 * request, again when they are older than `credentialTtlMs`, and once more after a 401 (a token that expired or
 * rotated), so a long-lived client (a watch) never holds a dead token.
 *
 * Watches (`watch`) go through the same connection and credentials, one long request each, outside the limit
 * of concurrent requests (a cluster holds one open watch per resource). client-node's own Watch and ListWatch
 * were not used (checked in @kubernetes/client-node 1.4.0, dist/watch.js, cache.js): Watch takes its headers from
 * the KubeConfig only, so it cannot ask for metadata-only events (Secrets must never send their data), and it
 * drops lines it cannot parse without a word; ListWatch keeps every raw object of a list in memory (200k pods)
 * and, on any error but 410, stops for good instead of resuming.
 */
import http from 'node:http';
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { isKubeApiError, KubeApiError } from '../errors';
import { portForwardGet, type PortForwardTarget } from './portForward';

/**
 * Accept header for a metadata-only list: the API server sends names, labels and annotations, never `data`.
 *
 * @public
 */
export const PARTIAL_OBJECT_METADATA_LIST_ACCEPT =
  'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';

/**
 * Accept header for a metadata-only watch: every event's object is a PartialObjectMetadata (as client-go's
 * metadata informer asks, k8s.io/client-go/metadata/metadata.go Watch).
 *
 * @public
 */
export const PARTIAL_OBJECT_METADATA_ACCEPT =
  'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';

const PAGE_SIZE = 500;
/** Requests of one client (one cluster's read) in flight at once; the others wait their turn. */
export const MAX_CONCURRENT_REQUESTS = 6;
const MAX_PAGES = 1000;
const MAX_BODY_BYTES = 256 * 1024 * 1024;
const RETRY_DELAYS_MS = [100, 400];
/** How far into a list response its metadata (and continue token) is looked for. */
const MAX_HEAD_BYTES = 16 * 1024;

interface RequestHooks {
  /** Cancels this request only (the client's signal cancels them all). */
  signal?: AbortSignal;
  /** Called with the continue token found at the head of a 200 list response, before the body is complete. */
  onContinue?: (token: string) => void;
}

/** @public */
export interface KubeListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Ask for a PartialObjectMetadataList (metadata only), e.g. for Secrets. */
  metadataOnly?: boolean;
  /** Cancels this list only (the client's signal cancels every request). */
  signal?: AbortSignal;
}

/** @public */
export interface KubeListResult {
  /** The list's resourceVersion (of its first page: the pages of one list are one consistent read). */
  resourceVersion?: string;
}

/** @public */
export interface KubeWatchOptions {
  /** Where to start: the list's or the last event's or bookmark's resourceVersion. */
  resourceVersion: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Events carry PartialObjectMetadata (names, labels, annotations), e.g. for Secrets. */
  metadataOnly?: boolean;
  /** Ask for BOOKMARK events (resume points while nothing changes). Default true. */
  allowWatchBookmarks?: boolean;
  /** The server ends the watch cleanly after this many seconds (client-go picks 5–10 minutes). */
  timeoutSeconds?: number;
  /** Fails the watch (reason Idle) when no line arrives for this long: a connection that died silently. */
  idleTimeoutMs?: number;
  /** Ends the watch (it resolves). */
  signal?: AbortSignal;
  /** Called once the server accepted the watch (a 200 answer), before any event. */
  onOpen?: () => void;
}

/**
 * One line of a watch stream. ERROR carries a Status object (410 Gone: the resourceVersion is too old).
 *
 * @public
 */
export interface KubeWatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: Record<string, unknown>;
}

/**
 * Read-only access to one cluster's API.
 *
 * @public
 */
export interface KubeClient {
  /** Every item of a list path (e.g. `/api/v1/pods`), following `continue` tokens page by page. */
  list(path: string, options?: KubeListOptions): Promise<unknown[]>;
  /**
   * The same list, handed to `onPage` one page at a time as soon as it is parsed (the caller keeps what it needs
   * and lets the raw objects go). Optional: callers fall back to `list`.
   */
  listPages?(
    path: string,
    options: KubeListOptions,
    onPage: (items: unknown[]) => void,
  ): Promise<KubeListResult | void>;
  /**
   * Watches a list path from a resourceVersion: every event goes to `onEvent` as its line arrives. Resolves when
   * the server ends the stream cleanly (timeoutSeconds) or `signal` aborts; rejects with a KubeApiError when the
   * watch cannot start (401 after renewing credentials once, 403, 410 as an HTTP status…), when the connection
   * breaks or goes idle, or when a line is not JSON. Optional: without it a resource is polled.
   */
  watch?(
    path: string,
    options: KubeWatchOptions,
    onEvent: (event: KubeWatchEvent) => void,
  ): Promise<void>;
  /** One object (or any JSON answer) of an API path; rejects with a KubeApiError (404 included). */
  get(path: string, options?: KubeGetOptions): Promise<unknown>;
  /**
   * A raw GET whose body is not a Kubernetes object (the pod proxy subresource: the body is istiod's). A 2xx
   * body goes to `onChunk` as it arrives; any other status resolves with the first bytes of the body, never
   * throws for a status. Network failures and aborts reject with a KubeApiError. Not retried.
   */
  rawGet?(path: string, options: RawGetOptions): Promise<RawGetResult>;
  /**
   * The same raw GET to a port of a pod, through the `pods/portforward` subresource (see portForward.ts): the
   * pod sees a connection on its loopback. The pod's answer resolves as rawGet's does; a refused upgrade
   * (401 after one credential renewal, 403, 404) rejects with a KubeApiError carrying the API server's status.
   */
  portForwardGet?(
    target: PortForwardTarget,
    options: RawGetOptions,
  ): Promise<RawGetResult>;
}

/** @public */
export interface RawGetOptions {
  /** Cancels this request only (the client's signal cancels it too). */
  signal?: AbortSignal;
  onChunk(chunk: Buffer): void;
  /** Fails the request (KubeApiError, reason TooLarge) past this many body bytes. */
  maxBytes?: number;
}

/** @public */
export interface RawGetResult {
  statusCode: number;
  contentType?: string;
  /** The HTTP Date header of the answer. */
  date?: string;
  /** For a non-2xx answer: its first 4 KB as text. */
  errorBody?: string;
  /** Body bytes received. */
  bytes: number;
}

/** @public */
export interface KubeGetOptions {
  query?: Record<string, string>;
  /** Default `application/json`. */
  accept?: string;
}

/** @public */
export interface KubeClientOptions {
  /** Aborts every request of this client (the per-cluster timeout). */
  signal?: AbortSignal;
  /** Resolve credentials again when they are older than this. Default 5 minutes. */
  credentialTtlMs?: number;
}

/**
 * A KubeConfig, or how to get one with current credentials.
 *
 * @public
 */
export type KubeConfigSource = KubeConfig | (() => Promise<KubeConfig>);

const DEFAULT_CREDENTIAL_TTL_MS = 5 * 60 * 1000;

interface Connection {
  server: string;
  opts: https.RequestOptions;
  resolvedAt: number;
}

/** A FIFO counting semaphore; a waiter whose signal aborts gives up its turn. */
class Semaphore {
  #free: number;
  readonly #waiters: Array<() => void> = [];

  constructor(size: number) {
    this.#free = size;
  }

  acquire(signal?: AbortSignal): Promise<void> {
    if (this.#free > 0) {
      this.#free--;
      return Promise.resolve();
    }
    const waiters = this.#waiters;
    return new Promise((resolve, reject) => {
      function onAbort() {
        const i = waiters.indexOf(grant);
        if (i >= 0) waiters.splice(i, 1);
        reject(signal!.reason);
      }
      function grant() {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      waiters.push(grant);
    });
  }

  release(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#free++;
  }
}

/**
 * A KubeClient over the credentials and TLS settings of a KubeConfig's current context.
 *
 * @public
 */
export function createKubeClient(
  source: KubeConfigSource,
  options: KubeClientOptions = {},
): KubeClient {
  const { signal } = options;
  const ttlMs = options.credentialTtlMs ?? DEFAULT_CREDENTIAL_TTL_MS;
  const resolveConfig = typeof source === 'function' ? source : undefined;
  const agents = new Set<unknown>();
  // The snapshot aborts the signal when the cluster's read ends (or times out): close the connections then.
  signal?.addEventListener('abort', () => agents.forEach(destroyAgent), {
    once: true,
  });

  let connection:
    | { promise: Promise<Connection>; value?: Connection }
    | undefined;
  async function open(): Promise<Connection> {
    const kc = resolveConfig ? await resolveConfig() : (source as KubeConfig);
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error('KubeConfig has no current cluster');
    const opts: https.RequestOptions = {};
    await kc.applyToHTTPSOptions(opts);
    keepAlive(opts.agent);
    agents.add(opts.agent);
    if (signal?.aborted) destroyAgent(opts.agent);
    return {
      server: cluster.server.replace(/\/+$/, ''),
      opts,
      resolvedAt: Date.now(),
    };
  }
  /** The current connection; `stale` (the one a request just got a 401 with) is replaced. */
  function connect(stale?: Connection): Promise<Connection> {
    const value = connection?.value;
    if (
      value &&
      resolveConfig &&
      (value === stale || Date.now() - value.resolvedAt >= ttlMs)
    ) {
      connection = undefined;
    }
    if (!connection) {
      const entry: { promise: Promise<Connection>; value?: Connection } = {
        promise: open(),
      };
      connection = entry;
      // A failed resolution is not kept: the next request tries again.
      entry.promise.then(
        v => {
          entry.value = v;
        },
        () => {
          if (connection === entry) connection = undefined;
        },
      );
    }
    return connection.promise;
  }
  const slots = new Semaphore(MAX_CONCURRENT_REQUESTS);

  /**
   * Every request's way to the API server: the current credentials, a slot, and new credentials once after the
   * API server's 401 (a thrown KubeApiError, or an answer `unauthorized` recognises), because the token may
   * have expired or rotated since it was resolved.
   */
  async function withCredentials<T>(
    path: string,
    ownSignal: AbortSignal | undefined,
    run: (conn: Connection, requestSignal?: AbortSignal) => Promise<T>,
    unauthorized: (result: T) => boolean = () => false,
    stale?: Connection,
  ): Promise<T> {
    const conn = await connect(stale);
    let requestSignal = signal;
    if (ownSignal) {
      requestSignal = signal ? AbortSignal.any([signal, ownSignal]) : ownSignal;
    }
    try {
      await slots.acquire(requestSignal);
    } catch {
      throw abortError(path, requestSignal!);
    }
    const renewable = !!resolveConfig && !stale;
    let result: T;
    try {
      result = await run(conn, requestSignal);
    } catch (error) {
      const renew =
        renewable && isKubeApiError(error) && error.statusCode === 401;
      if (!renew) throw error;
      return retry();
    } finally {
      slots.release();
    }
    if (renewable && unauthorized(result)) return retry();
    return result;

    function retry() {
      return withCredentials(path, ownSignal, run, unauthorized, conn);
    }
  }

  function request(
    path: string,
    query: URLSearchParams,
    accept: string,
    hooks: RequestHooks,
  ): Promise<unknown> {
    return withCredentials(path, hooks.signal, (conn, requestSignal) =>
      send(conn, path, query, accept, hooks, requestSignal),
    );
  }

  function send(
    { server, opts }: Connection,
    path: string,
    query: URLSearchParams,
    accept: string,
    hooks: RequestHooks,
    requestSignal: AbortSignal | undefined,
  ): Promise<unknown> {
    const { url, headers, transport } = outgoing(server, opts, path, accept);
    query.forEach((value, key) => url.searchParams.set(key, value));

    return new Promise((resolve, reject) => {
      if (requestSignal?.aborted) {
        reject(abortError(path, requestSignal));
        return;
      }
      const req = transport.request(
        url,
        { method: 'GET', agent: opts.agent, headers, signal: requestSignal },
        res => {
          const chunks: Buffer[] = [];
          let size = 0;
          // The list's metadata (with the continue token) comes before its items: read it from the first bytes,
          // so the next page can be asked for while this one is still arriving and being parsed.
          let head =
            hooks.onContinue && res.statusCode === 200 ? '' : undefined;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BODY_BYTES) {
              req.destroy(
                new Error(`response larger than ${MAX_BODY_BYTES} bytes`),
              );
              return;
            }
            chunks.push(chunk);
            if (head !== undefined) {
              head += chunk.toString(
                'latin1',
                0,
                Math.min(chunk.length, MAX_HEAD_BYTES - head.length),
              );
              const token = continueTokenOf(head);
              if (token !== undefined) {
                head = undefined;
                if (token) hooks.onContinue!(token);
              }
            }
          });
          res.on('error', err =>
            reject(networkError(path, err, requestSignal)),
          );
          res.on('end', () => {
            const text = Buffer.concat(chunks, size).toString('utf8');
            chunks.length = 0;
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
      req.on('error', err => reject(networkError(path, err, requestSignal)));
      req.end();
    });
  }

  // Transient failures (5xx, 429, reset connections) are retried briefly; anything else is final.
  async function requestWithRetry(
    path: string,
    query: URLSearchParams,
    accept: string,
    hooks: RequestHooks = {},
  ) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await request(path, query, accept, hooks);
      } catch (error) {
        const delay = RETRY_DELAYS_MS[attempt];
        if (
          delay === undefined ||
          signal?.aborted ||
          hooks.signal?.aborted ||
          !isTransient(error)
        )
          throw error;
        await sleep(delay, signal);
      }
    }
  }

  /**
   * Pages of a list, in order. While page N is being received and parsed, page N+1 is already asked for with the
   * continue token read from N's first bytes (at most two requests of a list in flight); if the complete page
   * names another token, that request is dropped and the right one made.
   */
  async function listPages(
    path: string,
    listOptions: KubeListOptions,
    onPage: (items: unknown[]) => void,
  ): Promise<KubeListResult> {
    const accept = listOptions.metadataOnly
      ? PARTIAL_OBJECT_METADATA_LIST_ACCEPT
      : 'application/json';
    interface Page {
      token?: string;
      body: Promise<unknown>;
      controller: AbortController;
      /** The continue token read from the head of this page's response. */
      early?: string;
      next?: Page;
    }
    let current!: Page;
    function prefetchNext(page: Page) {
      if (page.early && !page.next) page.next = fetchPage(page.early);
    }
    function fetchPage(token?: string): Page {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (listOptions.labelSelector)
        query.set('labelSelector', listOptions.labelSelector);
      if (listOptions.fieldSelector)
        query.set('fieldSelector', listOptions.fieldSelector);
      if (token) query.set('continue', token);
      const controller = new AbortController();
      const page: Page = { token, controller, body: Promise.resolve() };
      page.body = requestWithRetry(path, query, accept, {
        signal: listOptions.signal
          ? AbortSignal.any([controller.signal, listOptions.signal])
          : controller.signal,
        onContinue: early => {
          page.early ??= early;
          // Only the page being waited for starts its successor: never more than two in flight.
          if (page === current) prefetchNext(page);
        },
      });
      // A prefetched page that is dropped must not surface as an unhandled rejection.
      page.body.catch(() => {});
      return page;
    }
    const drop = (page?: Page) => page?.controller.abort(new Error('dropped'));

    current = fetchPage();
    let resourceVersion: string | undefined;
    try {
      for (let pages = 1; ; pages++) {
        const body = (await current.body) as {
          items?: unknown;
          metadata?: { continue?: unknown; resourceVersion?: unknown };
        };
        if (!Array.isArray(body.items)) {
          throw new KubeApiError(
            `GET ${path}: the response has no items array`,
            { path, statusCode: 200, reason: 'InvalidResponse' },
          );
        }
        if (pages === 1 && typeof body.metadata?.resourceVersion === 'string')
          resourceVersion = body.metadata.resourceVersion;
        onPage(body.items);
        const next = body.metadata?.continue;
        if (typeof next !== 'string' || next === '')
          return resourceVersion ? { resourceVersion } : {};
        if (pages >= MAX_PAGES) {
          throw new KubeApiError(`GET ${path}: more than ${MAX_PAGES} pages`, {
            path,
            reason: 'TooManyPages',
          });
        }
        let following: Page | undefined = current.next;
        if (following?.token !== next) {
          drop(following);
          following = fetchPage(next);
        }
        current = following;
        prefetchNext(current);
      }
    } finally {
      drop(current.next);
    }
  }

  function rawGet(
    path: string,
    rawOptions: RawGetOptions,
  ): Promise<RawGetResult> {
    // A 401 with a Status body is the API server's (credentials); the pod's own 401 is text and final.
    return withCredentials(
      path,
      rawOptions.signal,
      (conn, requestSignal) => sendRaw(conn, path, rawOptions, requestSignal),
      result =>
        result.statusCode === 401 && isStatusObject(result.errorBody ?? ''),
    );
  }

  function forward(
    target: PortForwardTarget,
    rawOptions: RawGetOptions,
  ): Promise<RawGetResult> {
    return withCredentials(
      `/api/v1/namespaces/${target.namespace}/pods/${target.pod}/portforward`,
      rawOptions.signal,
      ({ server, opts }, requestSignal) => {
        const { headers } = outgoing(server, opts, '/', '*/*');
        delete headers.Accept;
        return portForwardGet(
          { server, headers, tls: tlsOptionsOf(opts) },
          target,
          rawOptions,
          requestSignal,
        );
      },
    );
  }

  function sendRaw(
    { server, opts }: Connection,
    path: string,
    rawOptions: RawGetOptions,
    requestSignal: AbortSignal | undefined,
  ): Promise<RawGetResult> {
    const { url, headers, transport } = outgoing(
      server,
      opts,
      path,
      'application/json, */*',
    );
    const maxBytes = rawOptions.maxBytes ?? MAX_BODY_BYTES;
    return new Promise((resolve, reject) => {
      if (requestSignal?.aborted) {
        reject(abortError(path, requestSignal));
        return;
      }
      const req = transport.request(
        url,
        { method: 'GET', agent: opts.agent, headers, signal: requestSignal },
        res => {
          const status = res.statusCode ?? 0;
          const ok = status >= 200 && status < 300;
          let bytes = 0;
          let errorBody = '';
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
            if (bytes > maxBytes) {
              req.destroy(
                new KubeApiError(
                  `GET ${path}: response larger than ${maxBytes} bytes`,
                  { path, statusCode: status, reason: 'TooLarge' },
                ),
              );
              return;
            }
            if (ok) {
              try {
                rawOptions.onChunk(chunk);
              } catch (e) {
                // the consumer's own error (e.g. a parse error) is what the caller gets
                reject(e);
                req.destroy();
              }
            } else if (errorBody.length < 4096)
              errorBody += chunk.toString('utf8', 0, 4096 - errorBody.length);
          });
          res.on('error', err =>
            reject(
              isKubeApiError(err)
                ? err
                : networkError(path, err, requestSignal),
            ),
          );
          res.on('end', () =>
            resolve({
              statusCode: status,
              contentType: res.headers['content-type'],
              date: res.headers.date,
              bytes,
              ...(ok ? {} : { errorBody }),
            }),
          );
        },
      );
      req.on('error', err =>
        reject(
          isKubeApiError(err) ? err : networkError(path, err, requestSignal),
        ),
      );
      req.end();
    });
  }

  async function watch(
    path: string,
    watchOptions: KubeWatchOptions,
    onEvent: (event: KubeWatchEvent) => void,
    stale?: Connection,
  ): Promise<void> {
    const conn = await connect(stale);
    const query = new URLSearchParams({
      watch: 'true',
      resourceVersion: watchOptions.resourceVersion,
      allowWatchBookmarks: String(watchOptions.allowWatchBookmarks ?? true),
    });
    if (watchOptions.labelSelector)
      query.set('labelSelector', watchOptions.labelSelector);
    if (watchOptions.fieldSelector)
      query.set('fieldSelector', watchOptions.fieldSelector);
    if (watchOptions.timeoutSeconds)
      query.set('timeoutSeconds', String(watchOptions.timeoutSeconds));
    try {
      await streamWatch(conn, path, query, watchOptions, onEvent);
    } catch (error) {
      // New credentials once, as for every request: the token may have expired or rotated.
      const renew =
        resolveConfig &&
        !stale &&
        isKubeApiError(error) &&
        error.statusCode === 401;
      if (!renew) throw error;
      await watch(path, watchOptions, onEvent, conn);
    }
  }

  function streamWatch(
    { server, opts }: Connection,
    path: string,
    query: URLSearchParams,
    watchOptions: KubeWatchOptions,
    onEvent: (event: KubeWatchEvent) => void,
  ): Promise<void> {
    const accept = watchOptions.metadataOnly
      ? PARTIAL_OBJECT_METADATA_ACCEPT
      : 'application/json';
    const { url, headers, transport } = outgoing(server, opts, path, accept);
    query.forEach((value, key) => url.searchParams.set(key, value));
    const requestSignal =
      signal && watchOptions.signal
        ? AbortSignal.any([signal, watchOptions.signal])
        : signal ?? watchOptions.signal;
    return new Promise((resolve, reject) => {
      if (requestSignal?.aborted) {
        resolve();
        return;
      }
      let settled = false;
      let idle: NodeJS.Timeout | undefined;
      const req = transport.request(url, {
        method: 'GET',
        agent: opts.agent,
        headers,
      });
      function finish(error?: unknown) {
        if (settled) return;
        settled = true;
        clearTimeout(idle);
        requestSignal?.removeEventListener('abort', onAbort);
        if (error) {
          req.destroy();
          reject(error);
        } else resolve();
      }
      function onAbort() {
        // Asked to stop: not a failure of the watch.
        finish();
        req.destroy();
      }
      const touch = () => {
        if (!watchOptions.idleTimeoutMs) return;
        clearTimeout(idle);
        idle = setTimeout(
          () =>
            finish(
              new KubeApiError(
                `WATCH ${path}: nothing received for ${watchOptions.idleTimeoutMs} ms`,
                { path, reason: 'Idle', code: 'ETIMEDOUT' },
              ),
            ),
          watchOptions.idleTimeoutMs,
        );
      };
      requestSignal?.addEventListener('abort', onAbort, { once: true });
      req.on('response', res => {
        const status = res.statusCode ?? 0;
        if (status >= 400) {
          let text = '';
          res.on('data', (chunk: Buffer) => {
            if (text.length < 4096) text += chunk.toString('utf8');
          });
          res.on('end', () => finish(statusError(path, status, text)));
          res.on('error', err => finish(networkError(path, err)));
          return;
        }
        touch();
        watchOptions.onOpen?.();
        let rest = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          touch();
          rest += chunk;
          let newline = rest.indexOf('\n');
          while (newline >= 0 && !settled) {
            const line = rest.slice(0, newline).trim();
            rest = rest.slice(newline + 1);
            newline = rest.indexOf('\n');
            if (!line) continue;
            let event: KubeWatchEvent;
            try {
              event = JSON.parse(line);
            } catch {
              finish(
                new KubeApiError(`WATCH ${path}: a line is not JSON`, {
                  path,
                  statusCode: status,
                  reason: 'InvalidResponse',
                }),
              );
              return;
            }
            if (
              typeof event !== 'object' ||
              event === null ||
              typeof event.type !== 'string' ||
              typeof event.object !== 'object' ||
              event.object === null
            ) {
              finish(
                new KubeApiError(`WATCH ${path}: a line is not a watch event`, {
                  path,
                  statusCode: status,
                  reason: 'InvalidResponse',
                }),
              );
              return;
            }
            try {
              onEvent(event);
            } catch (error) {
              finish(error);
              return;
            }
          }
          if (rest.length > MAX_BODY_BYTES)
            finish(
              new KubeApiError(`WATCH ${path}: an event is too large`, {
                path,
                reason: 'TooLarge',
              }),
            );
        });
        // The server ended the stream (timeoutSeconds): resume from the last resourceVersion.
        res.on('end', () => finish());
        // Reset mid-stream (no terminating chunk): Node reports `aborted`, then an error or close.
        res.on('aborted', () =>
          finish(
            new KubeApiError(`WATCH ${path}: the connection was cut`, {
              path,
              code: 'ECONNRESET',
            }),
          ),
        );
        res.on('error', err => finish(networkError(path, err)));
        res.on('close', () => {
          if (!res.complete)
            finish(
              new KubeApiError(`WATCH ${path}: the connection was cut`, {
                path,
                code: 'ECONNRESET',
              }),
            );
        });
      });
      req.on('error', err => {
        if (requestSignal?.aborted) finish();
        else finish(networkError(path, err));
      });
      req.end();
    });
  }

  return {
    watch,
    rawGet,
    portForwardGet: forward,
    listPages,
    async list(path, listOptions = {}) {
      const items: unknown[] = [];
      await listPages(path, listOptions, page => {
        for (const item of page) items.push(item);
      });
      return items;
    },
    async get(path, getOptions = {}) {
      return requestWithRetry(
        path,
        new URLSearchParams(getOptions.query),
        getOptions.accept ?? 'application/json',
      );
    },
  };
}

/** URL, headers (the credentials client-node put into the options) and transport of one GET. */
function outgoing(
  server: string,
  opts: https.RequestOptions,
  path: string,
  accept: string,
) {
  const url = new URL(server + path);
  const headers: Record<string, string> = { Accept: accept };
  for (const [key, value] of Object.entries(opts.headers ?? {})) {
    if (value !== undefined) headers[key] = String(value);
  }
  if (opts.auth)
    headers.Authorization = `Basic ${Buffer.from(opts.auth).toString(
      'base64',
    )}`;
  return { url, headers, transport: url.protocol === 'http:' ? http : https };
}

/** A KubeApiError from an error answer: the Status object's message and reason when there is one. */
function statusError(path: string, status: number, text: string): KubeApiError {
  let body: { message?: unknown; reason?: unknown } = {};
  try {
    body = JSON.parse(text) ?? {};
  } catch {
    // not a Status object
  }
  const message =
    typeof body.message === 'string' ? body.message : text.slice(0, 200);
  return new KubeApiError(`GET ${path}: ${status} ${message}`.trim(), {
    path,
    statusCode: status,
    reason: typeof body.reason === 'string' ? body.reason : undefined,
  });
}

/** The TLS settings (and agent: a proxy, if configured) client-node put into the options, for the WebSocket. */
function tlsOptionsOf(opts: https.RequestOptions): Record<string, unknown> {
  const keys = [
    'agent',
    'ca',
    'cert',
    'key',
    'pfx',
    'passphrase',
    'rejectUnauthorized',
    'servername',
  ] as const;
  const tls: Record<string, unknown> = {};
  for (const key of keys) if (opts[key] !== undefined) tls[key] = opts[key];
  return tls;
}

function isStatusObject(text: string): boolean {
  try {
    return JSON.parse(text)?.kind === 'Status';
  } catch {
    return false;
  }
}

function isTransient(error: unknown): boolean {
  if (!isKubeApiError(error)) return false;
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

/**
 * client-node creates a plain `http(s).Agent` per KubeConfig, without keep-alive: every page of a list would open
 * a new connection (a TLS handshake on a real API server). Proxy agents are left as they are.
 */
function keepAlive(agent: unknown): void {
  if (agent instanceof http.Agent) {
    (agent as http.Agent & { keepAlive: boolean }).keepAlive = true;
  }
}

function destroyAgent(agent: unknown): void {
  if (agent instanceof http.Agent) agent.destroy();
}

/**
 * The continue token in the first bytes of a list response (`{"kind":…,"metadata":{…,"continue":"…"},"items":[…`):
 * the token, '' when the metadata has none, or undefined when more bytes are needed.
 */
export function continueTokenOf(head: string): string | undefined {
  const items = head.indexOf('"items"');
  const meta = items >= 0 ? head.slice(0, items) : head;
  const match = /"continue"\s*:\s*"([^"\\]*)"/.exec(meta);
  if (match) return match[1];
  return items >= 0 || head.length >= MAX_HEAD_BYTES ? '' : undefined;
}
