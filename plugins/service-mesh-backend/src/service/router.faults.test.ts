/*
 * The router when what it depends on fails: the plugin database, the catalog, the permission backend. Every
 * route answers from what it has, or 503 with a message naming the dependency; never a bare 500.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import {
  demoSnapshotState,
  fakeSnapshotService,
} from '../__testUtils__/fakeSnapshotService';
import { serviceMeshPlugin } from '../plugin';
import { MeshSnapshotState } from '../snapshot/MeshSnapshotService';
import { SnapshotStoreHealth } from '../snapshot/SnapshotStore';

const productService = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'product-service',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'product-service' },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
};

/** What the database driver throws when the server is stopped. */
const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
    code: 'ECONNREFUSED',
  });

describe('service-mesh router under dependency faults', () => {
  let state: MeshSnapshotState;
  beforeAll(async () => {
    state = await demoSnapshotState();
  });

  async function start(
    options: {
      features?: any[];
      health?: SnapshotStoreHealth;
      catalog?: boolean;
    } = {},
  ) {
    const fake = fakeSnapshotService(state);
    const service = fake.service as typeof fake.service & {
      health?: () => SnapshotStoreHealth;
    };
    if (options.health) service.health = () => options.health!;
    const { server } = await startTestBackend({
      features: [
        serviceMeshPlugin,
        ...(options.catalog === false
          ? []
          : [catalogServiceMock.factory({ entities: [productService] })]),
        fake.factory,
        ...(options.features ?? []),
      ],
    });
    const call = (method: 'get' | 'post', path: string) =>
      request(server)
        [method](`/api/service-mesh${path}`)
        .set('Authorization', mockCredentials.user.header());
    return { fake, call };
  }

  const routes: Array<['get' | 'post', string]> = [
    ['get', '/clusters'],
    ['get', '/overview'],
    ['get', '/entity?entityRef=component:default/product-service'],
    ['get', '/traffic?entityRef=component:default/product-service'],
    ['get', '/traffic/mesh'],
    ['post', '/refresh'],
  ];

  it('answers 503 naming the plugin database when the store fails with a connection error', async () => {
    const { fake, call } = await start();
    fake.service.current.mockRejectedValue(refused());
    fake.service.refresh.mockRejectedValue(refused());
    for (const [method, path] of routes) {
      const res = await call(method, path);
      expect({ path, status: res.status }).toEqual({ path, status: 503 });
      expect(res.body.error.name).toBe('ServiceUnavailableError');
      expect(res.body.error.message).toMatch(
        /^The plugin database is unavailable: connect ECONNREFUSED/,
      );
    }
  });

  it('passes on the snapshot service’s own 503s (no snapshot in memory, refresh not started)', async () => {
    const { fake, call } = await start();
    fake.service.current.mockRejectedValue(
      new ServiceUnavailableError(
        'The mesh snapshot store (the plugin database) is unavailable and this replica holds no snapshot yet: x',
      ),
    );
    const res = await call('get', '/overview');
    expect(res.status).toBe(503);
    expect(res.body.error.message).toContain('the plugin database');
  });

  it('answers 503 naming the catalog when it fails', async () => {
    const failingCatalog = createServiceFactory({
      service: catalogServiceRef,
      deps: {},
      factory: () =>
        ({
          getEntityByRef: async () => {
            throw Object.assign(
              new Error('Request failed with 500 Internal Server Error'),
              {
                name: 'ResponseError',
                statusCode: 500,
              },
            );
          },
        } as any),
    });
    const { call } = await start({
      catalog: false,
      features: [failingCatalog],
    });
    for (const path of [
      '/entity?entityRef=component:default/product-service',
      '/traffic?entityRef=component:default/product-service',
    ]) {
      const res = await call('get', path);
      expect(res.status).toBe(503);
      expect(res.body.error.message).toBe(
        'The catalog is unavailable: Request failed with 500 Internal Server Error',
      );
    }
    // Routes that do not need the catalog still answer.
    expect((await call('get', '/overview')).status).toBe(200);
  });

  it('answers 503 naming the permission backend when it fails', async () => {
    const permissions = mockServices.permissions.mock({
      authorize: async () => {
        throw new Error('socket hang up');
      },
    });
    const { call } = await start({ features: [permissions.factory] });
    for (const [method, path] of routes) {
      const res = await call(method, path);
      expect(res.status).toBe(503);
      expect(res.body.error.message).toBe(
        'The permission backend is unavailable: socket hang up',
      );
    }
    // Liveness does not depend on it.
    expect((await call('get', '/health')).status).toBe(200);
  });

  it('reports a failing store in /health (200) and in /ready (503 only with nothing in memory)', async () => {
    const failing = {
      status: 'failing' as const,
      error: 'connect ECONNREFUSED 127.0.0.1:5432',
      failingSince: '2026-12-06T20:00:00.000Z',
    };
    const empty = await start({ health: { ...failing, hasSnapshot: false } });
    const health = await empty.call('get', '/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      status: 'degraded',
      ready: false,
      dependencies: {
        store: { status: 'degraded', error: failing.error, hasSnapshot: false },
        metrics: { status: expect.any(String) },
        cache: { status: expect.any(String) },
      },
    });
    const ready = await empty.call('get', '/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.error.message).toContain('the plugin database');

    const serving = await start({
      health: { ...failing, hasSnapshot: true, sequence: 7 },
    });
    expect((await serving.call('get', '/ready')).status).toBe(200);
    expect((await serving.call('get', '/health')).body).toMatchObject({
      status: 'degraded',
      ready: true,
      dependencies: { store: { sequence: 7 } },
    });

    const fine = await start({ health: { status: 'ok', hasSnapshot: true } });
    expect((await fine.call('get', '/health')).body).toMatchObject({
      ready: true,
      dependencies: { store: { status: 'ok' } },
    });
  });
});
