import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { PrometheusClient, PrometheusQueryError } from './PrometheusClient';

type Handler = (
  req: IncomingMessage,
  body: string,
  res: ServerResponse,
) => void;

describe('PrometheusClient', () => {
  let server: Server;
  let baseUrl: string;
  let handler: Handler;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', chunk => (body += chunk));
      req.on('end', () => handler(req, body, res));
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise(resolve => server.close(resolve));
  });

  const client = (maxResponseBytes?: number) =>
    new PrometheusClient({ baseUrl, timeoutMs: 5000, maxResponseBytes });

  const vector = (n: number) =>
    JSON.stringify({
      status: 'success',
      data: {
        resultType: 'vector',
        result: Array.from({ length: n }, (_, i) => ({
          metric: { destination_service_name: `service-${i}` },
          value: [1700000000, String(i)],
        })),
      },
    });

  it('reads an instant vector', async () => {
    let seen: URLSearchParams | undefined;
    handler = (req, body, res) => {
      seen = new URLSearchParams(body);
      expect(req.url).toBe('/api/v1/query');
      res.setHeader('Content-Type', 'application/json');
      res.end(vector(2));
    };
    const samples = await client().query('up', {
      time: new Date(1700000000000),
    });
    expect(seen?.get('query')).toBe('up');
    expect(seen?.get('time')).toBe('1700000000.000');
    expect(samples).toEqual([
      { metric: { destination_service_name: 'service-0' }, value: 0 },
      { metric: { destination_service_name: 'service-1' }, value: 1 },
    ]);
  });

  it('reads a range matrix, leaving out points that are not numbers', async () => {
    let seen: URLSearchParams | undefined;
    handler = (req, body, res) => {
      seen = new URLSearchParams(body);
      expect(req.url).toBe('/api/v1/query_range');
      res.end(
        JSON.stringify({
          status: 'success',
          data: {
            resultType: 'matrix',
            result: [
              {
                metric: {
                  source_cluster: 'cluster1',
                  destination_cluster: 'cluster2',
                },
                values: [
                  [1700000000, '1.5'],
                  [1700000060, 'NaN'],
                  [1700000120, '2'],
                ],
              },
            ],
          },
        }),
      );
    };
    const series = await client().queryRange('sum(rate(x[1m]))', {
      start: new Date(1700000000000),
      end: new Date(1700000120000),
      stepSeconds: 60,
    });
    expect(seen?.get('start')).toBe('1700000000.000');
    expect(seen?.get('end')).toBe('1700000120.000');
    expect(seen?.get('step')).toBe('60');
    expect(series).toEqual([
      {
        metric: { source_cluster: 'cluster1', destination_cluster: 'cluster2' },
        points: [
          [1700000000, 1.5],
          [1700000120, 2],
        ],
      },
    ]);
  });

  it('refuses a range query answered with a vector', async () => {
    handler = (_req, _body, res) => res.end(vector(1));
    await expect(
      client().queryRange('x', {
        start: new Date(0),
        end: new Date(60000),
        stepSeconds: 60,
      }),
    ).rejects.toThrow(/instead of a range matrix/);
  });

  it('refuses a chunked answer (no Content-Length) past the limit while reading it', async () => {
    handler = (_req, _body, res) => {
      // Written in pieces without a length: Node sends Transfer-Encoding: chunked.
      const text = vector(2000);
      for (let i = 0; i < text.length; i += 4096)
        res.write(text.slice(i, i + 4096));
      res.end();
    };
    const big = vector(2000).length;
    const error = await client(big - 1)
      .query('up', { time: new Date() })
      .catch(e => e);
    expect(error).toBeInstanceOf(PrometheusQueryError);
    expect(error.status).toBe('error');
    expect(error.message).toMatch(/more than \d+ bytes/);
    // Under the limit the same answer is read in full.
    const samples = await client(big).query('up', { time: new Date() });
    expect(samples).toHaveLength(2000);
  });

  it('counts the inflated bytes of a gzip answer, not its Content-Length', async () => {
    const text = vector(2000);
    const gzipped = gzipSync(text);
    handler = (_req, _body, res) => {
      res.setHeader('Content-Encoding', 'gzip');
      res.setHeader('Content-Length', String(gzipped.length));
      res.end(gzipped);
    };
    expect(gzipped.length).toBeLessThan(text.length / 4);
    const limit = Math.floor(text.length / 2); // above the compressed size, below the inflated one
    const error = await client(limit)
      .query('up', { time: new Date() })
      .catch(e => e);
    expect(error).toBeInstanceOf(PrometheusQueryError);
    expect(error.message).toMatch(/more than \d+ bytes/);
    await expect(
      client(text.length).query('up', { time: new Date() }),
    ).resolves.toHaveLength(2000);
  });

  it('refuses a declared Content-Length past the limit without reading the body', async () => {
    handler = (_req, _body, res) => {
      res.setHeader('Content-Length', '100000');
      res.write('{'.repeat(10));
      // The rest never comes: the client must not wait for it.
    };
    const error = await client(1000)
      .query('up', { time: new Date() })
      .catch(e => e);
    expect(error).toBeInstanceOf(PrometheusQueryError);
    expect(error.message).toMatch(/more than 1000 bytes/);
  });

  it('maps 401 to unauthorized and a refused connection to unreachable', async () => {
    handler = (_req, _body, res) => {
      res.statusCode = 401;
      res.end('no');
    };
    await expect(
      client().query('up', { time: new Date() }),
    ).rejects.toMatchObject({
      status: 'unauthorized',
    });
    const closed = new PrometheusClient({
      baseUrl: 'http://127.0.0.1:1',
      timeoutMs: 2000,
    });
    await expect(
      closed.query('up', { time: new Date() }),
    ).rejects.toMatchObject({
      status: 'unreachable',
    });
  });
});
