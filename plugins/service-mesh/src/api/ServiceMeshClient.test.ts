import { ResponseError } from '@backstage/errors';
import { mockApis, registerMswTestHooks } from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { demoOverview, productServiceResponse } from '../__fixtures__';
import { ServiceMeshClient } from './ServiceMeshClient';

const baseUrl = 'http://localhost:7007/api/service-mesh';

describe('ServiceMeshClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const client = new ServiceMeshClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
    fetchApi: { fetch: (input, init) => fetch(input, init) },
  });

  it('reads the overview and the clusters', async () => {
    server.use(
      http.get(`${baseUrl}/overview`, () => HttpResponse.json(demoOverview)),
      http.get(`${baseUrl}/clusters`, () =>
        HttpResponse.json({ items: demoOverview.clusters }),
      ),
    );
    await expect(client.getOverview()).resolves.toEqual(demoOverview);
    await expect(client.getClusters()).resolves.toEqual({
      items: demoOverview.clusters,
    });
  });

  it('passes the entity ref as an encoded query parameter', async () => {
    let seen: string | null = null;
    server.use(
      http.get(`${baseUrl}/entity`, ({ request }) => {
        seen = new URL(request.url).searchParams.get('entityRef');
        return HttpResponse.json(productServiceResponse);
      }),
    );
    await expect(
      client.getEntity('component:default/product-service'),
    ).resolves.toEqual(productServiceResponse);
    expect(seen).toBe('component:default/product-service');
  });

  it('asks for the findings trend of a window', async () => {
    let seen: string | null = null;
    const trend = { window: '7d', retentionHours: 168, points: [] };
    server.use(
      http.get(`${baseUrl}/findings/trend`, ({ request }) => {
        seen = new URL(request.url).searchParams.get('window');
        return HttpResponse.json(trend);
      }),
    );
    await expect(client.getFindingsTrend('7d')).resolves.toEqual(trend);
    expect(seen).toBe('7d');
  });

  it('POSTs a refresh, answered 202 with the progress, and follows it', async () => {
    const running = {
      state: 'running',
      startedAt: '2025-11-21T10:05:00.000Z',
      clusters: [{ name: 'cluster1', state: 'queued' }],
    };
    server.use(
      http.post(`${baseUrl}/refresh`, () =>
        HttpResponse.json(running, { status: 202 }),
      ),
      http.get(`${baseUrl}/refresh`, () =>
        HttpResponse.json({ ...running, state: 'idle' }),
      ),
    );
    await expect(client.refresh()).resolves.toEqual(running);
    await expect(client.getRefreshProgress()).resolves.toMatchObject({
      state: 'idle',
    });
  });

  it('turns backend errors into ResponseError', async () => {
    server.use(
      http.post(`${baseUrl}/refresh`, () =>
        HttpResponse.json(
          {
            error: { name: 'NotAllowedError', message: 'Unauthorized' },
            request: { method: 'POST', url: '/api/service-mesh/refresh' },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    const error = await client.refresh().catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(403);
    expect(error.body.error.name).toBe('NotAllowedError');
  });
});
