import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  DEFAULT_TRAFFIC_THRESHOLDS,
  Finding,
  MeshSnapshot,
  TrafficWindow,
} from '@internal/plugin-service-mesh-common';
import request from 'supertest';
import {
  demoSnapshotState,
  fakeSnapshotService,
} from '../__testUtils__/fakeSnapshotService';
import { serviceMeshPlugin } from '../plugin';
import { MeshSnapshotState } from '../snapshot/MeshSnapshotService';
import { MeshTrafficService, TrafficResult } from './MeshTrafficService';
import { meshTrafficServiceRef } from './meshTrafficServiceRef';

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'product-service',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'product-service' },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
};

const mesh080: Finding = {
  id: 'MESH080-cluster1-service-demo-product-from-cluster1',
  code: 'MESH080',
  severity: 'warning',
  title: 'Live traffic differs from the expected split',
  message: 'split differs',
  clusters: ['cluster1'],
  resource: { kind: 'Service', namespace: 'demo', name: 'product' },
  hint: 'compare',
};

function okResult(window: TrafficWindow): TrafficResult {
  return {
    status: 'ok',
    window,
    generatedAt: '2026-01-20T10:00:00.000Z',
    source: { url: 'http://vm:8428', from: 'config' },
    data: {
      window,
      measuredAt: '2026-01-20T10:00:00.000Z',
      edges: [
        {
          namespace: 'demo',
          service: 'product',
          sourceCluster: 'cluster1',
          destinationCluster: 'cluster1',
          requests: 600,
          errors: 0,
        },
        {
          namespace: 'demo',
          service: 'product',
          sourceCluster: 'cluster1',
          destinationCluster: 'cluster2',
          requests: 300,
          errors: 3,
        },
      ],
      histograms: [],
    },
    durationMs: 3,
    series: 4,
  };
}

function fakeTraffic(result: (window: TrafficWindow) => TrafficResult) {
  const traffic: jest.Mocked<MeshTrafficService> = {
    traffic: jest.fn(async (window: TrafficWindow) => result(window)),
    peek: jest.fn((window: TrafficWindow) => result(window)),
    findings: jest.fn((r: TrafficResult, _snapshot: MeshSnapshot) =>
      r.status === 'ok' ? [mesh080] : [],
    ),
    findingsWindow: '5m',
    thresholds: DEFAULT_TRAFFIC_THRESHOLDS,
  };
  return {
    traffic,
    factory: createServiceFactory({
      service: meshTrafficServiceRef,
      deps: {},
      factory: () => traffic,
    }),
  };
}

describe('traffic routes', () => {
  let state: MeshSnapshotState;

  beforeAll(async () => {
    state = await demoSnapshotState();
  });

  async function start(
    traffic: ReturnType<typeof fakeTraffic>,
    extra: any[] = [],
  ) {
    const { server } = await startTestBackend({
      features: [
        serviceMeshPlugin,
        catalogServiceMock.factory({ entities: [entity] }),
        fakeSnapshotService(state).factory,
        traffic.factory,
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        ...extra,
      ],
    });
    return (path: string) =>
      request(server)
        .get(`/api/service-mesh${path}`)
        .set('Authorization', mockCredentials.user.header());
  }

  it('serves the entity’s services with the actual and expected split, and its findings', async () => {
    const traffic = fakeTraffic(okResult);
    const get = await start(traffic);
    const res = await get(
      '/traffic?entityRef=component:default/product-service&window=1h',
    );
    expect(res.status).toBe(200);
    expect(traffic.traffic.traffic).toHaveBeenCalledWith('1h');
    expect(res.body).toMatchObject({
      status: 'ok',
      window: '1h',
      source: { url: 'http://vm:8428', from: 'config' },
      entityRef: 'component:default/product-service',
      findings: [mesh080],
    });
    expect(res.body.services).toHaveLength(1);
    expect(res.body.services[0]).toMatchObject({
      namespace: 'demo',
      name: 'product',
      requests: 900,
      requestsPerSecond: 0.25,
    });
    expect(res.body.services[0].sources[0].destinations).toEqual([
      expect.objectContaining({ cluster: 'cluster1', actualShare: 66.7 }),
      expect.objectContaining({ cluster: 'cluster2', actualShare: 33.3 }),
    ]);
  });

  it('defaults to 5m and serves the mesh matrix', async () => {
    const traffic = fakeTraffic(okResult);
    const get = await start(traffic);
    const res = await get('/traffic/mesh');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      window: '5m',
      clusters: ['cluster1', 'cluster2', 'cluster3'],
      edges: [
        {
          sourceCluster: 'cluster1',
          destinationCluster: 'cluster1',
          requests: 600,
          requestsPerSecond: 2,
        },
        {
          sourceCluster: 'cluster1',
          destinationCluster: 'cluster2',
          requests: 300,
          requestsPerSecond: 1,
        },
      ],
      findings: [mesh080],
    });
  });

  it('adds the findings window’s live-traffic findings to the overview and the entity', async () => {
    const get = await start(fakeTraffic(okResult));
    expect((await get('/overview')).body.findings).toContainEqual(mesh080);
    expect(
      (await get('/entity?entityRef=component:default/product-service')).body
        .findings,
    ).toContainEqual(mesh080);
  });

  it('passes a status without data through as “no live data”', async () => {
    const get = await start(
      fakeTraffic(window => ({
        status: 'unauthorized',
        reason: 'rejected',
        window,
        generatedAt: '2026-01-20T10:00:00.000Z',
        durationMs: 1,
        series: 0,
      })),
    );
    const res = await get(
      '/traffic?entityRef=component:default/product-service',
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'unauthorized',
      reason: 'rejected',
      window: '5m',
      generatedAt: '2026-01-20T10:00:00.000Z',
      thresholds: DEFAULT_TRAFFIC_THRESHOLDS,
      entityRef: 'component:default/product-service',
      services: [],
      findings: [],
    });
    expect((await get('/overview')).body.findings).toEqual([]);
  });

  it('needs credentials and the read permission', async () => {
    const traffic = fakeTraffic(okResult);
    const { server } = await startTestBackend({
      features: [
        serviceMeshPlugin,
        catalogServiceMock.factory({ entities: [entity] }),
        fakeSnapshotService(state).factory,
        traffic.factory,
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.permissions.mock({
          authorize: async () => [{ result: AuthorizeResult.DENY }],
        }).factory,
      ],
    });
    // The scheduled refresh warms the findings window at startup; requests must not query.
    traffic.traffic.traffic.mockClear();
    expect(
      (await request(server).get('/api/service-mesh/traffic/mesh')).status,
    ).toBe(401);
    const denied = await request(server)
      .get('/api/service-mesh/traffic/mesh')
      .set('Authorization', mockCredentials.user.header());
    expect(denied.status).toBe(403);
    expect(denied.body.error.name).toBe('NotAllowedError');
    expect(traffic.traffic.traffic).not.toHaveBeenCalled();
  });
});
