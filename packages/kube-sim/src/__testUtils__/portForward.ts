// A port-forwarded HTTP/1.1 GET with client-node's PortForward, an independent client of kube-sim's
// `pods/portforward` (WebSocket, v4.channel.k8s.io): the test sees the raw TCP stream and parses it itself.
import * as k8s from '@kubernetes/client-node';
import { PassThrough } from 'node:stream';
import type { RunningSimulator } from '../types.ts';
import { kubeConfig } from './sim.ts';

export interface Forwarded {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** What the kubelet wrote on the error channel. */
  error: string;
}

/** Splits a raw HTTP/1.1 response (as a forwarded TCP stream carries it) into status, headers and a de-chunked body. */
function parseHttp(bytes: Buffer): Omit<Forwarded, 'error'> {
  const raw = bytes.toString('latin1');
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return { status: 0, headers: {}, text: '' };
  const [statusLine, ...lines] = raw.slice(0, end).split('\r\n');
  const headers = Object.fromEntries(
    lines.map(l => [
      l.slice(0, l.indexOf(':')).toLowerCase(),
      l.slice(l.indexOf(':') + 1).trim(),
    ]),
  );
  let body = bytes.subarray(Buffer.byteLength(raw.slice(0, end + 4), 'latin1'));
  if (headers['transfer-encoding'] === 'chunked') {
    const parts: Buffer[] = [];
    for (let at = 0; ; ) {
      const lineEnd = body.indexOf('\r\n', at);
      const size = parseInt(body.subarray(at, lineEnd).toString(), 16);
      if (!size) break;
      parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
    body = Buffer.concat(parts);
  }
  return {
    status: Number(statusLine.split(' ')[1]),
    headers,
    text: body.toString('utf8'),
  };
}

/** One GET through client-node's PortForward (its own WebSocket client); resolves when the forward closes. */
export async function portForwardGet(
  sim: RunningSimulator,
  name: string,
  namespace: string,
  pod: string,
  path: string,
  port: number,
): Promise<Forwarded> {
  const output = new PassThrough();
  const errors = new PassThrough();
  const input = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  output.on('data', c => out.push(c));
  errors.on('data', c => err.push(c));
  const ws = (await new k8s.PortForward(
    kubeConfig(sim, name),
    false,
  ).portForward(namespace, pod, [port], output, errors, input)) as {
    on(event: 'close', cb: () => void): void;
  };
  const closed = new Promise<void>(resolve => ws.on('close', resolve));
  input.write(
    `GET ${path} HTTP/1.1\r\nHost: localhost:${port}\r\nConnection: close\r\n\r\n`,
  );
  await closed;
  return {
    ...parseHttp(Buffer.concat(out)),
    error: Buffer.concat(err).toString('utf8'),
  };
}
