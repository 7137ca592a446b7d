import http from 'node:http';
import { AddressInfo } from 'node:net';
import { createKubeConfig } from './ClusterClientFactory';
import { KubeApiError } from './KubeApiError';
import {
  createKubeClient,
  PARTIAL_OBJECT_METADATA_LIST_ACCEPT,
} from './KubeClient';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

async function serve(handler: Handler) {
  const server = http.createServer(handler);
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = (signal?: AbortSignal) =>
    createKubeClient(
      createKubeConfig({
        name: 'test',
        url,
        authProvider: 'serviceAccount',
        serviceAccountToken: 'sa-token',
        skipTLSVerify: true,
      }),
      { signal },
    );
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
});
