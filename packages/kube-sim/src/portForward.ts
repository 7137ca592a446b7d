// The `pods/portforward` subresource over WebSocket, as the kubelet serves it behind the API server
// (kubernetes pkg/kubelet/cri/streaming/portforward/websocket.go `handleWebSocketStreams`): subprotocol
// `v4.channel.k8s.io`, every binary message prefixed with its channel byte (0 = the port's data, 1 = its error
// stream), and the first message of each channel carrying the port number (uint16, little endian). A dial
// failure is text on the error channel, then the connection closes. SPDY (kubectl <= 1.30's transport) and the
// newer tunnelled `portforward.k8s.io` protocol are not served.
//
// What arrives on the data channel is a TCP stream to the pod's port: kube-sim hands it to an in-process HTTP
// server (node:http over an in-memory socket pair), whose handler knows the connection came through a forward,
// i.e. from the pod's loopback.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { duplexPair } from 'node:stream';
import { WebSocketServer } from 'ws';

export const PORT_FORWARD_PROTOCOL = 'v4.channel.k8s.io';
const DATA_CHANNEL = 0;
const ERROR_CHANNEL = 1;

/** `/api/v1/namespaces/<ns>/pods/<name>/portforward`, or undefined. */
export function parsePortForward(
  path: string,
): { namespace: string; pod: string } | undefined {
  const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/portforward$/.exec(
    path,
  );
  return m
    ? { namespace: decodeURIComponent(m[1]), pod: decodeURIComponent(m[2]) }
    : undefined;
}

/** Answers an upgrade request with a plain HTTP response (a Status object) and closes the socket. */
export function refuseUpgrade(
  socket: Duplex,
  status: number,
  body: unknown,
): void {
  const text = JSON.stringify(body);
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(text)}`,
    'Connection: close',
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${text}`);
}

export function offersProtocol(req: IncomingMessage): boolean {
  return String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map(p => p.trim())
    .includes(PORT_FORWARD_PROTOCOL);
}

/** Where one forwarded connection goes: an HTTP handler for the pod's port, or the dial error the kubelet reports. */
export type ForwardDial<T> = { target: T } | { error: string };

/**
 * Upgrades port-forward requests and bridges their data channel to `handler` (one in-process HTTP server; each
 * request sees the target of the forward its connection came through).
 */
export class PortForwarder<T> {
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: protocols =>
      protocols.has(PORT_FORWARD_PROTOCOL) ? PORT_FORWARD_PROTOCOL : false,
  });
  private readonly targets = new WeakMap<object, T>();
  private readonly http = createServer((req, res) => {
    const target = this.targets.get(req.socket);
    if (target === undefined) {
      res.writeHead(500).end();
      return;
    }
    this.handler(req, res, target);
  });

  private readonly handler: (
    req: IncomingMessage,
    res: ServerResponse,
    target: T,
  ) => void;
  /** Bytes sent back to the client on the data channel (request stats). */
  private readonly onBytes: (n: number) => void;

  // No parameter properties: kube-sim runs under Node's type stripping.
  constructor(
    handler: (req: IncomingMessage, res: ServerResponse, target: T) => void,
    onBytes: (n: number) => void,
  ) {
    this.handler = handler;
    this.onBytes = onBytes;
  }

  accept(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    port: number,
    dial: () => ForwardDial<T>,
  ): void {
    this.wss.handleUpgrade(req, socket, head, ws => {
      const portBytes = Buffer.alloc(2);
      portBytes.writeUInt16LE(port);
      ws.send(Buffer.concat([Buffer.of(DATA_CHANNEL), portBytes]));
      ws.send(Buffer.concat([Buffer.of(ERROR_CHANNEL), portBytes]));
      const dialed = dial();
      if ('error' in dialed) {
        ws.send(
          Buffer.concat([Buffer.of(ERROR_CHANNEL), Buffer.from(dialed.error)]),
        );
        ws.close(1000);
        return;
      }
      const [inner, outer] = duplexPair();
      this.targets.set(inner, dialed.target);
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        if (isBinary && data[0] === DATA_CHANNEL && data.length > 1)
          outer.write(data.subarray(1));
      });
      outer.on('data', (chunk: Buffer) => {
        this.onBytes(chunk.length);
        ws.send(Buffer.concat([Buffer.of(DATA_CHANNEL), chunk]));
      });
      // The pod closed the connection (istiod after `Connection: close`): so does the forward.
      outer.on('end', () => ws.close(1000));
      outer.on('error', () => ws.terminate());
      ws.on('close', () => {
        outer.destroy();
        inner.destroy();
      });
      ws.on('error', () => ws.terminate());
      this.http.emit('connection', inner);
    });
  }
}
