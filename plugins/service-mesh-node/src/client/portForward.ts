/*
 * One HTTP/1.1 GET to a port of a pod through the API server's `pods/portforward` subresource, the way istioctl
 * reaches istiod's debug endpoints (pkg/kube/client.go `portForwardRequest`): the connection arrives on the pod's
 * loopback, which is what istiod's `allowAuthenticatedOrLocalhost` (pilot/pkg/xds/debug.go) lets through.
 *
 * Transport: a WebSocket upgrade of `GET /api/v1/namespaces/<ns>/pods/<pod>/portforward?ports=<port>` with
 * subprotocol `v4.channel.k8s.io` — what client-node's PortForward and the Kubernetes dashboard speak, and what the
 * kubelet serves (pkg/kubelet/cri/streaming/portforward/websocket.go `handleWebSocketStreams`). Every binary
 * message starts with its channel byte: 0 is the port's data, 1 its error stream; the first message of each
 * channel from the server is the port number (2 bytes, little endian), not data. Text on the error channel
 * (`error forwarding port 15014 to pod …`) is the kubelet's own failure.
 *
 * Not client-node's PortForward: it takes its own KubeConfig (no credential renewal after a 401, no AbortSignal,
 * no keep-alive agent) and reports a refused upgrade only as "Unexpected server response: 403", without the
 * API server's Status, which is what tells a missing RBAC rule from a missing pod. The request itself goes through
 * node:http over an in-memory socket pair, so status line, headers, chunked bodies and keep-alive are parsed
 * by Node, not by hand.
 */
import http from 'node:http';
import { duplexPair } from 'node:stream';
import WebSocket from 'ws';
import { KubeApiError } from '../errors';
import type { RawGetOptions, RawGetResult } from './KubeClient';

/** @public */
export const PORT_FORWARD_PROTOCOL = 'v4.channel.k8s.io';
const DATA_CHANNEL = 0;
const ERROR_CHANNEL = 1;
const MAX_BODY_BYTES = 256 * 1024 * 1024;
const MAX_ERROR_TEXT = 4096;

/** @public */
export interface PortForwardTarget {
  namespace: string;
  pod: string;
  port: number;
  /** Path and query on the pod's port, e.g. `/debug/syncz`. */
  path: string;
}

/** What the caller's connection gives the WebSocket: URL of the API server, TLS options, credential headers. */
export interface ForwardConnection {
  server: string;
  headers: Record<string, string>;
  tls: Record<string, unknown>;
}

export function portForwardPath(target: PortForwardTarget): string {
  return `/api/v1/namespaces/${encodeURIComponent(
    target.namespace,
  )}/pods/${encodeURIComponent(target.pod)}/portforward`;
}

/**
 * Resolves with the pod's HTTP answer (as rawGet does: a 2xx body goes to onChunk, any other status comes back
 * with its first bytes). Rejects with a KubeApiError when the API server refuses the upgrade (its status and
 * Status reason), when the kubelet reports a forwarding error (reason `PortForwardError`), on a network failure
 * or when the signal aborts (code ABORT_ERR).
 */
export function portForwardGet(
  connection: ForwardConnection,
  target: PortForwardTarget,
  options: RawGetOptions,
  signal: AbortSignal | undefined,
): Promise<RawGetResult> {
  const apiPath = portForwardPath(target);
  const url = new URL(
    `${connection.server.replace(/^http/, 'ws')}${apiPath}?ports=${
      target.port
    }`,
  );
  const maxBytes = options.maxBytes ?? MAX_BODY_BYTES;
  const label = `port-forward ${target.namespace}/${target.pod}:${target.port}${target.path}`;

  return new Promise<RawGetResult>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(apiPath, label, signal));
      return;
    }
    let settled = false;
    const ws = new WebSocket(url, [PORT_FORWARD_PROTOCOL], {
      ...connection.tls,
      headers: connection.headers,
      perMessageDeflate: false,
      maxPayload: 64 * 1024 * 1024,
    } as WebSocket.ClientOptions);
    const [local, remote] = duplexPair();
    let request: http.ClientRequest | undefined;
    let errorText = '';
    const prefixPending = [true, true];

    function finish(error: unknown, result?: RawGetResult) {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      request?.destroy();
      remote.destroy();
      if (ws.readyState === WebSocket.OPEN) ws.close(1000);
      else ws.terminate();
      if (error) reject(error);
      else resolve(result!);
    }
    function onAbort() {
      finish(abortError(apiPath, label, signal!));
    }
    signal?.addEventListener('abort', onAbort, { once: true });

    // The API server refused the upgrade: its Status says why (403 RBAC, 404 pod, 401 credentials).
    ws.on('unexpected-response', (req, res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => {
        if (text.length < MAX_ERROR_TEXT) text += chunk.toString('utf8');
      });
      res.on('end', () => {
        let status: { message?: unknown; reason?: unknown } = {};
        try {
          status = JSON.parse(text) ?? {};
        } catch {
          // not a Status object
        }
        const message =
          typeof status.message === 'string'
            ? status.message
            : text.trim().slice(0, 200);
        finish(
          new KubeApiError(
            `GET ${apiPath}: ${res.statusCode} ${message}`.trim(),
            {
              path: apiPath,
              statusCode: res.statusCode,
              reason:
                typeof status.reason === 'string' ? status.reason : undefined,
            },
          ),
        );
        req.destroy();
      });
      res.on('error', err => finish(networkError(apiPath, label, err)));
    });
    ws.on('error', err => finish(networkError(apiPath, label, err)));

    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary || data.length === 0) return;
      const channel = data[0];
      let payload = data.subarray(1);
      if (channel > ERROR_CHANNEL) return;
      if (prefixPending[channel]) {
        // The port number the server forwards to, sent once per channel.
        prefixPending[channel] = false;
        payload = payload.subarray(2);
      }
      if (payload.length === 0) return;
      if (channel === DATA_CHANNEL) remote.write(payload);
      else if (errorText.length < MAX_ERROR_TEXT)
        errorText += payload.toString('utf8');
    });
    ws.on('close', () => {
      remote.end();
      // Let the HTTP parser see the end of the stream first: a body without length ends with the connection.
      setImmediate(() => {
        if (errorText)
          finish(
            new KubeApiError(`${label}: ${errorText.trim()}`, {
              path: apiPath,
              reason: 'PortForwardError',
            }),
          );
        else
          finish(
            networkError(
              apiPath,
              label,
              new Error('the forwarded connection closed before the answer'),
            ),
          );
      });
    });

    ws.on('open', () => {
      if (ws.protocol !== PORT_FORWARD_PROTOCOL) {
        finish(
          new KubeApiError(
            `GET ${apiPath}: the API server did not agree to ${PORT_FORWARD_PROTOCOL} (got "${ws.protocol}")`,
            { path: apiPath, reason: 'UnsupportedProtocol' },
          ),
        );
        return;
      }
      remote.on('data', (chunk: Buffer) =>
        ws.send(Buffer.concat([Buffer.of(DATA_CHANNEL), chunk])),
      );
      request = http.request(
        {
          method: 'GET',
          path: target.path,
          headers: {
            Host: `localhost:${target.port}`,
            Accept: 'application/json, */*',
            Connection: 'close',
          },
          createConnection: () => local,
        },
        res => {
          const statusCode = res.statusCode ?? 0;
          const ok = statusCode >= 200 && statusCode < 300;
          let bytes = 0;
          let errorBody = '';
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
            if (bytes > maxBytes) {
              finish(
                new KubeApiError(
                  `${label}: response larger than ${maxBytes} bytes`,
                  { path: apiPath, statusCode, reason: 'TooLarge' },
                ),
              );
              return;
            }
            if (!ok) {
              if (errorBody.length < MAX_ERROR_TEXT)
                errorBody += chunk.toString(
                  'utf8',
                  0,
                  MAX_ERROR_TEXT - errorBody.length,
                );
              return;
            }
            try {
              options.onChunk(chunk);
            } catch (e) {
              // the consumer's own error (e.g. a parse error) is what the caller gets
              finish(e);
            }
          });
          res.on('end', () =>
            finish(undefined, {
              statusCode,
              contentType: res.headers['content-type'],
              date: res.headers.date,
              bytes,
              ...(ok ? {} : { errorBody }),
            }),
          );
          res.on('error', err => finish(networkError(apiPath, label, err)));
        },
      );
      request.on('error', err => {
        // A forwarding error explains the broken stream better than "socket hang up".
        if (errorText)
          finish(
            new KubeApiError(`${label}: ${errorText.trim()}`, {
              path: apiPath,
              reason: 'PortForwardError',
            }),
          );
        else finish(networkError(apiPath, label, err));
      });
      request.end();
    });
  });
}

function abortError(
  path: string,
  label: string,
  signal: AbortSignal,
): KubeApiError {
  const reason =
    signal.reason instanceof Error ? signal.reason.message : 'aborted';
  return new KubeApiError(`${label}: ${reason}`, { path, code: 'ABORT_ERR' });
}

function networkError(
  path: string,
  label: string,
  err: Error & { code?: string },
): KubeApiError {
  return new KubeApiError(`${label}: ${err.message}`, {
    path,
    code: err.code ?? 'ECONNRESET',
  });
}
