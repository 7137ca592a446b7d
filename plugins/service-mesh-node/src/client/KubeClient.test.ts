import http from 'node:http';
import { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeApiError } from '../errors';
import {
  continueTokenOf,
  createKubeClient,
  MAX_CONCURRENT_REQUESTS,
  PARTIAL_OBJECT_METADATA_LIST_ACCEPT,
} from './KubeClient';

function tokenConfig(url: string, token: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'test', server: url, skipTLSVerify: true }],
    users: [{ name: 'u', token }],
    contexts: [{ name: 'test', cluster: 'test', user: 'u' }],
    currentContext: 'test',
  });
  return kc;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

async function serve(handler: Handler) {
  const server = http.createServer(handler);
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = (signal?: AbortSignal) =>
    createKubeClient(tokenConfig(url, 'sa-token'), { signal });
  return {
    url,
    client,
    close: () => new Promise(resolve => server.close(resolve)),
  };
}

function json(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

describe('KubeClient', () => {
  it('follows continue tokens with limit 500, sends the token and the metadata-only Accept header', async () => {
    const seen: Array<{ url: string; accept?: string; auth?: string }> = [];
    const srv = await serve((req, res) => {
      seen.push({
        url: req.url!,
        accept: req.headers.accept,
        auth: req.headers.authorization,
      });
      const page = new URL(req.url!, 'http://x').searchParams.get('continue');
      json(
        res,
        200,
        page
          ? { items: [{ n: 2 }] }
          : { items: [{ n: 1 }], metadata: { continue: 'next' } },
      );
    });
    try {
      const items = await srv
        .client()
        .list('/api/v1/namespaces/istio-system/secrets', {
          labelSelector: 'istio/multiCluster=true',
          metadataOnly: true,
        });
      expect(items).toEqual([{ n: 1 }, { n: 2 }]);
      expect(seen).toEqual([
        {
          url: '/api/v1/namespaces/istio-system/secrets?limit=500&labelSelector=istio%2FmultiCluster%3Dtrue',
          accept: PARTIAL_OBJECT_METADATA_LIST_ACCEPT,
          auth: 'Bearer sa-token',
        },
        {
          url: '/api/v1/namespaces/istio-system/secrets?limit=500&labelSelector=istio%2FmultiCluster%3Dtrue&continue=next',
          accept: PARTIAL_OBJECT_METADATA_LIST_ACCEPT,
          auth: 'Bearer sa-token',
        },
      ]);
    } finally {
      await srv.close();
    }
  });

  it('turns Status answers into KubeApiErrors and retries transient ones', async () => {
    let calls = 0;
    const srv = await serve((req, res) => {
      calls++;
      if (req.url!.startsWith('/flaky')) {
        if (calls < 2) json(res, 503, { kind: 'Status', message: 'try again' });
        else json(res, 200, { items: [] });
        return;
      }
      if (req.url!.startsWith('/forbidden')) {
        json(res, 403, {
          kind: 'Status',
          reason: 'Forbidden',
          message: 'pods is forbidden: User "x" cannot list resource "pods"',
          code: 403,
        });
        return;
      }
      res.writeHead(200);
      res.end('not json');
    });
    try {
      await expect(srv.client().list('/flaky')).resolves.toEqual([]);
      const error = await srv
        .client()
        .list('/forbidden')
        .catch(e => e);
      expect(error).toBeInstanceOf(KubeApiError);
      expect(error.details).toEqual({
        path: '/forbidden',
        statusCode: 403,
        reason: 'Forbidden',
      });
      expect(error.message).toContain('cannot list resource "pods"');
      await expect(srv.client().list('/garbage')).rejects.toMatchObject({
        details: { reason: 'InvalidResponse', statusCode: 200 },
      });
    } finally {
      await srv.close();
    }
  });

  it('reports connection refused as a network error and cancels requests on abort', async () => {
    const srv = await serve(() => {
      // Never answers.
    });
    const controller = new AbortController();
    const pending = srv.client(controller.signal).list('/api/v1/pods');
    setTimeout(() => controller.abort(new Error('timed out after 1s')), 50);
    await expect(pending).rejects.toMatchObject({
      details: { code: 'ABORT_ERR' },
      message: expect.stringContaining('timed out'),
    });
    await srv.close();

    const error = await srv
      .client()
      .list('/api/v1/pods')
      .catch(e => e);
    expect(error).toBeInstanceOf(KubeApiError);
    expect(error.isNetworkError).toBe(true);
    expect(error.details.code).toBe('ECONNREFUSED');
  });

  it('reads the continue token from the head of a list response', () => {
    expect(
      continueTokenOf('{"kind":"PodList","metadata":{"continue":"abc=="},"it'),
    ).toBe('abc==');
    expect(continueTokenOf('{"kind":"PodList","metadata":{"resourceV')).toBe(
      undefined,
    );
    expect(
      continueTokenOf('{"metadata":{"resourceVersion":"1"},"items":[{"a"'),
    ).toBe('');
    // A "continue" inside the items is not the list's.
    expect(
      continueTokenOf('{"metadata":{},"items":[{"metadata":{"continue":"x"}}'),
    ).toBe('');
  });

  it('asks for the next page while the current one streams in, and hands over pages in order', async () => {
    const PAGES = 4;
    let inFlight = 0;
    let maxInFlight = 0;
    const connections = new Set<unknown>();
    const open = new Map<number, () => void>();
    const srv = await serve((req, res) => {
      connections.add(req.socket);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const page = Number(
        new URL(req.url!, 'http://x').searchParams.get('continue') ?? '0',
      );
      const next = page + 1 < PAGES ? String(page + 1) : '';
      res.writeHead(200, { 'Content-Type': 'application/json' });
      // The head (metadata) first; the items once the client has asked for the next page (as a large page
      // would still stream in), or after 5 s if it never does, which fails the check below.
      res.write(
        `{"kind":"PodList","metadata":{"continue":"${next}"},"items":[`,
      );
      let fallback: NodeJS.Timeout | undefined = undefined;
      const end = () => {
        clearTimeout(fallback);
        open.delete(page);
        inFlight--;
        res.end(`{"page":${page}}]}`);
      };
      fallback = setTimeout(end, next ? 5000 : 0);
      open.set(page, end);
      open.get(page - 1)?.();
    });
    try {
      const pages: unknown[][] = [];
      await srv.client().listPages!('/api/v1/pods', {}, items =>
        pages.push(items),
      );
      expect(pages).toEqual([0, 1, 2, 3].map(page => [{ page }]));
      // Page N+1 was requested while page N was still open, never more than two at once.
      expect(maxInFlight).toBe(2);
      // Connections are kept alive and reused.
      expect(connections.size).toBeLessThanOrEqual(2);
    } finally {
      await srv.close();
    }
  });

  it('drops a prefetched page whose token the complete page does not confirm', async () => {
    const seen: string[] = [];
    let finishFirst = () => {};
    let fallback: NodeJS.Timeout | undefined;
    const srv = await serve((req, res) => {
      const token =
        new URL(req.url!, 'http://x').searchParams.get('continue') ?? '';
      seen.push(token);
      if (token === '') {
        // The head names one token, the (malformed) rest of the body another.
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('{"metadata":{"continue":"early"},');
        // the rest once the client has prefetched "early" (or after 5 s, which fails the check below)
        finishFirst = () => {
          clearTimeout(fallback);
          res.end('"items":[1],"metadata":{"continue":"late"}}');
        };
        fallback = setTimeout(finishFirst, 5000);
        return;
      }
      if (token === 'early') finishFirst();
      json(res, 200, { items: [token] });
    });
    try {
      const items = await srv.client().list('/api/v1/pods');
      expect(items).toEqual([1, 'late']);
      expect(seen).toEqual(['', 'early', 'late']);
    } finally {
      await srv.close();
    }
  });

  it(`keeps at most ${MAX_CONCURRENT_REQUESTS} requests of a client in flight`, async () => {
    const LISTS = 15;
    let inFlight = 0;
    let maxInFlight = 0;
    let received = 0;
    let held: http.ServerResponse[] = [];
    const answerHeld = () => {
      for (const res of held) json(res, 200, { items: [1] });
      inFlight -= held.length;
      held = [];
    };
    let fallback: NodeJS.Timeout | undefined;
    // Answers are held until as many requests as allowed are in flight (or every list was asked for), then kept a
    // moment longer so that a client sending more would show it; after 5 s without that, answered anyway.
    const srv = await serve((_req, res) => {
      inFlight++;
      received++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      held.push(res);
      clearTimeout(fallback);
      if (held.length >= MAX_CONCURRENT_REQUESTS || received === LISTS)
        fallback = setTimeout(answerHeld, 20);
      else fallback = setTimeout(answerHeld, 5000);
    });
    try {
      const client = srv.client();
      const lists = await Promise.all(
        Array.from({ length: LISTS }, (_, i) => client.list(`/api/v1/l${i}`)),
      );
      expect(lists.flat()).toHaveLength(LISTS);
      expect(maxInFlight).toBe(MAX_CONCURRENT_REQUESTS);
    } finally {
      await srv.close();
    }
  });

  it('GETs any API path with a query, and streams a raw body (the pod proxy)', async () => {
    const seen: string[] = [];
    const srv = await serve((req, res) => {
      seen.push(`${req.url} ${req.headers.authorization}`);
      if (req.url?.startsWith('/api/v1/namespaces/istio-system/pods/')) {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('cluster1 Synced\n');
        return;
      }
      json(res, 200, { kind: 'Status', status: 'Success' });
    });
    try {
      const client = srv.client();
      const chunks: Buffer[] = [];
      await expect(
        client.rawGet!(
          '/api/v1/namespaces/istio-system/pods/istiod-1:15014/proxy/debug/clusterz',
          { onChunk: c => chunks.push(c) },
        ),
      ).resolves.toMatchObject({ statusCode: 200, contentType: 'text/plain' });
      expect(Buffer.concat(chunks).toString()).toBe('cluster1 Synced\n');
      await expect(
        client.get('/version', { query: { pretty: 'true' } }),
      ).resolves.toEqual({ kind: 'Status', status: 'Success' });
      expect(seen).toEqual([
        '/api/v1/namespaces/istio-system/pods/istiod-1:15014/proxy/debug/clusterz Bearer sa-token',
        '/version?pretty=true Bearer sa-token',
      ]);
    } finally {
      await srv.close();
    }
  });

  it('resolves credentials again after a 401 and when they are older than the TTL', async () => {
    let valid = 'token-1';
    let rejected = 0;
    const srv = await serve((req, res) => {
      if (req.headers.authorization === `Bearer ${valid}`)
        json(res, 200, { items: [valid] });
      else {
        rejected++;
        json(res, 401, { kind: 'Status', reason: 'Unauthorized' });
      }
    });
    try {
      let issued = 0;
      const resolver = jest.fn(async () =>
        tokenConfig(srv.url, `token-${++issued}`),
      );
      const client = createKubeClient(resolver);
      await expect(client.list('/api/v1/a')).resolves.toEqual(['token-1']);
      await expect(client.list('/api/v1/b')).resolves.toEqual(['token-1']);
      expect(resolver).toHaveBeenCalledTimes(1);

      // The token rotates on the server: one 401, new credentials, the same request again.
      valid = 'token-2';
      await expect(client.list('/api/v1/c')).resolves.toEqual(['token-2']);
      expect(resolver).toHaveBeenCalledTimes(2);

      // Still rejected with fresh credentials: the 401 is the answer (no loop).
      valid = 'never';
      const error = await client.list('/api/v1/d').catch(e => e);
      expect(error).toMatchObject({ name: 'KubeApiError', statusCode: 401 });
      expect(resolver).toHaveBeenCalledTimes(3);

      // A TTL of 0 resolves before every request: the rotated token is used without a 401 first.
      let n = 3;
      valid = 'token-4';
      const eager = createKubeClient(
        async () => tokenConfig(srv.url, `token-${++n}`),
        { credentialTtlMs: 0 },
      );
      await expect(eager.list('/api/v1/e')).resolves.toEqual(['token-4']);
      valid = 'token-5';
      rejected = 0;
      await expect(eager.list('/api/v1/f')).resolves.toEqual(['token-5']);
      expect(rejected).toBe(0);
    } finally {
      await srv.close();
    }
  });

  it('rejects every request with the error of a failed resolution, and retries it later', async () => {
    let fail = true;
    const srv = await serve((_req, res) => json(res, 200, { items: [1] }));
    try {
      const client = createKubeClient(async () => {
        if (fail) throw new Error('no credentials');
        return tokenConfig(srv.url, 't');
      });
      await expect(client.list('/api/v1/a')).rejects.toThrow('no credentials');
      fail = false;
      await expect(client.list('/api/v1/a')).resolves.toEqual([1]);
    } finally {
      await srv.close();
    }
  });
});
