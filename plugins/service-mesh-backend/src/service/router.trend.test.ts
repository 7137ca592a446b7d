/*
 * GET /findings/trend through the real plugin: authenticated, behind service-mesh.read, the window validated,
 * the points of the window from the trend store the snapshot service writes to.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Finding } from '@internal/plugin-service-mesh-common';
import request from 'supertest';
import { serviceMeshPlugin } from '../plugin';
import {
  demoSnapshotState,
  fakeSnapshotService,
} from '../__testUtils__/fakeSnapshotService';
import { InMemoryFindingsTrendStore } from '../trend/FindingsTrendStore';
import { findingsTrendServiceRef } from '../trend/findingsTrendServiceRef';
import { summarizeFindings } from '../trend/summarize';

const HOUR = 3600_000;
const ago = (hours: number) =>
  new Date(Date.now() - hours * HOUR).toISOString();

async function start(extra: any[] = []) {
  const trend = new InMemoryFindingsTrendStore({
    retentionHours: 168,
    maxPoints: 1000,
  });
  await trend.record(summarizeFindings(ago(30), []));
  await trend.record(
    summarizeFindings(ago(2), [
      {
        code: 'MESH010',
        severity: 'error',
        title: 't',
        message: 'm',
        clusters: ['cluster1'],
        hint: 'h',
      } as Finding,
    ]),
  );
  const { server } = await startTestBackend({
    features: [
      serviceMeshPlugin,
      catalogServiceMock.factory(),
      fakeSnapshotService(await demoSnapshotState()).factory,
      createServiceFactory({
        service: findingsTrendServiceRef,
        deps: {},
        factory: () => trend,
      }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      ...extra,
    ],
  });
  const get = (path: string) =>
    request(server)
      .get(`/api/service-mesh${path}`)
      .set('Authorization', mockCredentials.user.header());
  return { server, get };
}

describe('GET /findings/trend', () => {
  it('answers the points of the window, 24h by default', async () => {
    const { get } = await start();
    const day = await get('/findings/trend');
    expect(day.status).toBe(200);
    expect(day.body).toMatchObject({ window: '24h', retentionHours: 168 });
    expect(day.body.points).toEqual([
      expect.objectContaining({
        bySeverity: { error: 1, warning: 0, info: 0 },
        byCode: { MESH010: 1 },
        byCluster: { cluster1: { error: 1, warning: 0, info: 0 } },
      }),
    ]);
    const week = await get('/findings/trend?window=7d');
    expect(week.body.points).toHaveLength(2);
    const hour = await get('/findings/trend?window=1h');
    expect(hour.body.points).toEqual([]);
  });

  it('rejects an unknown window with a clear message', async () => {
    const { get } = await start();
    const res = await get('/findings/trend?window=3w');
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toContain(
      'window must be one of 1h, 6h, 24h, 7d',
    );
  });

  it('requires credentials and service-mesh.read', async () => {
    const { server } = await start();
    expect(
      (await request(server).get('/api/service-mesh/findings/trend')).status,
    ).toBe(401);
    const denied = await start([
      mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
    ]);
    const res = await denied.get('/findings/trend');
    expect(res.status).toBe(403);
    expect(res.body.error.name).toBe('NotAllowedError');
  });
});

describe('the findings trend of the real snapshot service', () => {
  it('gets a point from the database each time the refresh publishes', async () => {
    const { server } = await startTestBackend({
      features: [
        serviceMeshPlugin,
        schedulerServiceFactory,
        catalogServiceMock.factory(),
      ],
    });
    const auth = mockCredentials.user.header();
    const trend = async () =>
      (
        await request(server)
          .get('/api/service-mesh/findings/trend')
          .set('Authorization', auth)
      ).body.points;
    const refresh = () =>
      request(server)
        .post('/api/service-mesh/refresh?wait=true')
        .set('Authorization', auth);
    expect((await refresh()).status).toBe(200);
    const first = await trend();
    expect((await refresh()).status).toBe(200);
    const second = await trend();
    expect(second).toHaveLength(first.length + 1);
    const overview = await request(server)
      .get('/api/service-mesh/overview')
      .set('Authorization', auth);
    expect(second[second.length - 1].at).toBe(overview.body.generatedAt);
  });
});
