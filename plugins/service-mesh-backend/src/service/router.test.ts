import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Finding } from '@internal/plugin-service-mesh-common';
import request from 'supertest';
import { Entity } from '@backstage/catalog-model';
import {
  demoSnapshotState,
  fakeSnapshotService,
} from '../__testUtils__/fakeSnapshotService';
import { serviceMeshPlugin } from '../plugin';
import { MeshSnapshotState } from '../snapshot/MeshSnapshotService';

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'product-service',
      namespace: 'default',
      annotations: { 'backstage.io/kubernetes-id': 'product-service' },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'by-selector',
      namespace: 'default',
      annotations: {
        'backstage.io/kubernetes-label-selector': 'app=product',
        'backstage.io/kubernetes-namespace': 'demo',
      },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'no-kubernetes', namespace: 'default' },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  },
];

const finding: Finding = {
  id: 'MESH090-cluster3',
  code: 'MESH090',
  severity: 'error',
  title: 'Cluster unreachable',
  message: 'cluster3 is unreachable',
  clusters: ['cluster3'],
  hint: 'Check the API server',
};

describe('service-mesh router', () => {
  let state: MeshSnapshotState;

  beforeAll(async () => {
    state = await demoSnapshotState([finding]);
  });

  async function start(extra: any[] = []) {
    const fake = fakeSnapshotService(state);
    const { server } = await startTestBackend({
      features: [
        serviceMeshPlugin,
        catalogServiceMock.factory({ entities }),
        fake.factory,
        // Requests without a token are unauthenticated (the mock default is a signed-in user).
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        ...extra,
      ],
    });
    fake.service.refresh.mockClear();
    const get = (path: string) =>
      request(server)
        .get(`/api/service-mesh${path}`)
        .set('Authorization', mockCredentials.user.header());
    return { server, fake, get };
  }

  it('requires credentials on every route', async () => {
    const { server } = await start();
    for (const path of [
      '/health',
      '/clusters',
      '/overview',
      '/entity?entityRef=component:default/product-service',
    ]) {
      expect(
        (await request(server).get(`/api/service-mesh${path}`)).status,
      ).toBe(401);
    }
    expect(
      (await request(server).post('/api/service-mesh/refresh')).status,
    ).toBe(401);
  });

  it('GET /clusters lists every cluster with its status', async () => {
    const { get } = await start();
    const res = await get('/clusters');
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({
        name: 'global',
        role: 'management',
        status: 'ok',
      }),
      expect.objectContaining({
        name: 'cluster1',
        role: 'member',
        status: 'ok',
        region: 'region1',
        network: 'network1',
      }),
      expect.objectContaining({ name: 'cluster2', status: 'ok' }),
      expect.objectContaining({
        name: 'cluster3',
        status: 'unreachable',
        error: expect.objectContaining({ code: 'MESH090' }),
      }),
    ]);
  });

  it('GET /overview shows the mesh per cluster with the findings', async () => {
    const { get } = await start();
    const res = await get('/overview');
    expect(res.status).toBe(200);
    expect(res.body.managementCluster).toBe('global');
    expect(res.body.findings).toEqual([finding]);
    const c1 = res.body.clusters.find((c: any) => c.name === 'cluster1');
    expect(c1).toMatchObject({
      serviceMesh: {
        name: 'cluster1',
        phase: 'Deployed',
        version: 'v4.0.20',
        desiredVersion: 'v4.0.20',
        meshGroup: 'mesh-demo',
      },
      controlPlanes: [
        {
          revision: '1-22',
          version: '1.22.4',
          readyReplicas: 1,
          desiredReplicas: 1,
        },
      ],
      meshId: 'mesh1',
      trustDomain: 'cluster.local',
      eastWestGateway: {
        health: 'healthy',
        name: 'istio-system/istio-eastwestgateway',
        network: 'network1',
        readyReplicas: 2,
        desiredReplicas: 2,
        ports: [15443, 15021],
      },
      rootCA: {
        fingerprint: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/),
      },
      remoteSecrets: ['cluster2'],
      localities: [
        { region: 'region1', zone: 'region1-a', nodes: 1 },
        { region: 'region1', zone: 'region1-b', nodes: 1 },
      ],
      onboardedNamespaces: ['demo'],
      revisions: ['1-22'],
    });
    expect(
      res.body.clusters.find((c: any) => c.name === 'cluster3'),
    ).toMatchObject({
      status: 'unreachable',
      eastWestGateway: { health: 'absent' },
      controlPlanes: [],
    });
  });

  it('GET /entity returns the entity services, endpoints, policies and simulations', async () => {
    const { get } = await start();
    const res = await get(
      '/entity?entityRef=component:default/product-service',
    );
    expect(res.status).toBe(200);
    expect(res.body.entityRef).toBe('component:default/product-service');
    expect(res.body.selector).toEqual({ kubernetesId: 'product-service' });
    expect(res.body.clusters.map((c: any) => [c.cluster, c.status])).toEqual([
      ['cluster1', 'ok'],
      ['cluster2', 'ok'],
      ['cluster3', 'unreachable'],
    ]);
    const c1 = res.body.clusters[0];
    expect(c1).toMatchObject({
      namespaces: [{ name: 'demo', onboarded: true, revision: '1-22' }],
      services: [expect.objectContaining({ name: 'product' })],
      workloads: [
        expect.objectContaining({ name: 'product', kind: 'Deployment' }),
      ],
      sidecarCoverage: { pods: 2, withSidecar: 2 },
      mtlsMode: 'STRICT',
    });
    expect(res.body.endpointDistribution).toEqual([
      {
        cluster: 'cluster1',
        network: 'network1',
        service: 'demo/product',
        locality: { region: 'region1', zone: 'region1-a' },
        ready: 1,
        notReady: 0,
      },
      {
        cluster: 'cluster1',
        network: 'network1',
        service: 'demo/product',
        locality: { region: 'region1', zone: 'region1-b' },
        ready: 1,
        notReady: 0,
      },
      {
        cluster: 'cluster2',
        network: 'network2',
        service: 'demo/product',
        locality: { region: 'region2', zone: 'region2-a' },
        ready: 1,
        notReady: 0,
      },
      {
        cluster: 'cluster2',
        network: 'network2',
        service: 'demo/product',
        locality: { region: 'region2', zone: 'region2-b' },
        ready: 1,
        notReady: 0,
      },
    ]);
    expect(res.body.trafficPolicies).toEqual([
      expect.objectContaining({
        kind: 'DestinationRule',
        namespace: 'demo',
        name: 'product',
        clusters: ['cluster1', 'cluster2'],
      }),
      expect.objectContaining({
        kind: 'PeerAuthentication',
        namespace: 'istio-system',
        name: 'default',
        clusters: ['cluster1', 'cluster2'],
      }),
    ]);
    expect(res.body.simulations).toEqual([
      expect.objectContaining({
        service: 'demo/product',
        input: expect.objectContaining({ endpoints: expect.any(Array) }),
        result: expect.objectContaining({ mode: expect.any(String) }),
      }),
    ]);
    // cluster3 (unreachable) may run the entity: its collection finding concerns it.
    expect(res.body.findings).toEqual([finding]);
  });

  it('GET /entity matches by label selector within the annotated namespace', async () => {
    const { get } = await start();
    const res = await get('/entity?entityRef=component:default/by-selector');
    expect(res.status).toBe(200);
    expect(res.body.selector).toEqual({
      labelSelector: 'app=product',
      namespace: 'demo',
    });
    expect(res.body.clusters[0].services.map((s: any) => s.name)).toEqual([
      'product',
    ]);
  });

  it('GET /entity answers 400 for a malformed entityRef and 404 for an unknown entity', async () => {
    const { get } = await start();
    expect((await get('/entity')).status).toBe(400);
    expect((await get('/entity?entityRef=')).status).toBe(400);
    const malformed = await get('/entity?entityRef=product-service');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.name).toBe('InputError');
    expect((await get('/entity?entityRef=component:default/a/b')).status).toBe(
      400,
    );
    const missing = await get('/entity?entityRef=component:default/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error.name).toBe('NotFoundError');
    expect(
      (await get('/entity?entityRef=component:default/no-kubernetes')).status,
    ).toBe(400);
  });

  it('POST /refresh?wait=true refreshes and answers with the new snapshot', async () => {
    const { server, fake } = await start();
    const res = await request(server)
      .post('/api/service-mesh/refresh?wait=true')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body.generatedAt).toBe(state.snapshot.generatedAt);
    expect(res.body.clusters).toHaveLength(4);
    expect(fake.service.refresh).toHaveBeenCalledTimes(1);
  });

  it('POST /refresh answers 202 with the progress at once, and GET /refresh follows it', async () => {
    let finish: (s: MeshSnapshotState) => void = () => undefined;
    const { server, fake, get } = await start();
    const progress = {
      state: 'running' as const,
      startedAt: '2026-01-01T00:00:00.000Z',
      clusters: [
        { name: 'cluster1', state: 'done' as const, durationMs: 12 },
        { name: 'cluster3', state: 'reading' as const },
      ],
    };
    (fake.service as any).progress = jest.fn(async () => progress);
    fake.service.refresh.mockImplementation(
      () => new Promise<MeshSnapshotState>(resolve => (finish = resolve)),
    );
    const res = await request(server)
      .post('/api/service-mesh/refresh')
      .set('Authorization', mockCredentials.user.header());
    // Answered while the refresh is still running.
    expect(res.status).toBe(202);
    expect(res.headers.location).toBe('refresh');
    expect(res.body).toEqual(progress);
    expect(fake.service.refresh).toHaveBeenCalledTimes(1);
    const followed = await get('/refresh');
    expect(followed.status).toBe(200);
    expect(followed.body.clusters[1]).toEqual({
      name: 'cluster3',
      state: 'reading',
    });
    finish(state);
    expect(
      (
        await request(server)
          .post('/api/service-mesh/refresh?wait=maybe')
          .set('Authorization', mockCredentials.user.header())
      ).status,
    ).toBe(400);
  });

  it('records an audit event for each refresh, with its outcome', async () => {
    const auditor = mockServices.auditor.mock();
    const event = {
      success: jest.fn(async () => {}),
      fail: jest.fn(async () => {}),
    };
    auditor.createEvent.mockResolvedValue(event);
    const { server, fake } = await start([auditor.factory]);
    await request(server)
      .post('/api/service-mesh/refresh?wait=true')
      .set('Authorization', mockCredentials.user.header())
      .expect(200);
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({ eventId: 'refresh', severityLevel: 'medium' }),
    );
    expect(event.success).toHaveBeenCalledWith({
      meta: expect.objectContaining({
        generatedAt: state.snapshot.generatedAt,
      }),
    });

    fake.service.refresh.mockRejectedValueOnce(new Error('store down'));
    await request(server)
      .post('/api/service-mesh/refresh?wait=true')
      .set('Authorization', mockCredentials.user.header())
      .expect(500);
    expect(event.fail).toHaveBeenCalledWith({
      error: expect.objectContaining({ message: 'store down' }),
    });
  });

  it('records no audit event and refreshes nothing when refreshing is denied', async () => {
    const auditor = mockServices.auditor.mock();
    const { server, fake } = await start([
      auditor.factory,
      mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
    ]);
    await request(server)
      .post('/api/service-mesh/refresh')
      .set('Authorization', mockCredentials.user.header())
      .expect(403);
    expect(auditor.createEvent).not.toHaveBeenCalled();
    expect(fake.service.refresh).not.toHaveBeenCalled();
  });

  it('says pending before the first refresh', async () => {
    const pending = { ...state, pending: true };
    const fake = fakeSnapshotService(pending);
    const { server } = await startTestBackend({
      features: [
        serviceMeshPlugin,
        catalogServiceMock.factory({ entities }),
        fake.factory,
      ],
    });
    const overview = await request(server)
      .get('/api/service-mesh/overview')
      .set('Authorization', mockCredentials.user.header());
    expect(overview.body.status).toBe('pending');
    const ready = await (await start()).get('/overview');
    expect(ready.body.status).toBe('ready');
  });

  it('answers 403 when reading is denied', async () => {
    const { get } = await start([
      mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
    ]);
    for (const path of [
      '/clusters',
      '/overview',
      '/entity?entityRef=component:default/product-service',
    ]) {
      const res = await get(path);
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('NotAllowedError');
    }
  });

  it('answers 403 on /refresh when only refreshing is denied', async () => {
    const permissions = mockServices.permissions.mock({
      authorize: async requests =>
        requests.map(r => ({
          result:
            r.permission.name === 'service-mesh.refresh'
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        })),
    });
    const { server, fake, get } = await start([permissions.factory]);
    expect((await get('/clusters')).status).toBe(200);
    const res = await request(server)
      .post('/api/service-mesh/refresh')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(403);
    expect(fake.service.refresh).not.toHaveBeenCalled();
  });

  it('never returns the secrets of the ServiceMesh resources', async () => {
    const { server, get } = await start();
    const bodies = [
      (await get('/clusters')).text,
      (await get('/overview')).text,
      (await get('/entity?entityRef=component:default/product-service')).text,
      (
        await request(server)
          .post('/api/service-mesh/refresh?wait=true')
          .set('Authorization', mockCredentials.user.header())
      ).text,
    ];
    for (const body of bodies)
      expect(body).not.toContain('demo-redis-PASSWORD-do-not-leak');
    // The spec is kept (redacted) in the snapshot.
    expect(JSON.stringify(state.snapshot)).toContain('REDACTED');
  });
});
