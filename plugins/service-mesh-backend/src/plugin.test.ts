import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { serviceMeshPlugin } from './plugin';
import { testDatabase } from './__testUtils__/testDatabase';

describe('serviceMeshPlugin', () => {
  it('starts without clusters, answers /health when authenticated and 401 without credentials', async () => {
    const { server } = await startTestBackend({
      features: [
        serviceMeshPlugin,
        await testDatabase(),
        catalogServiceMock.factory(),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
    const ok = await request(server)
      .get('/api/service-mesh/health')
      .set('Authorization', mockCredentials.user.header());
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'ok', ready: true });
    expect((await request(server).get('/api/service-mesh/health')).status).toBe(
      401,
    );

    const clusters = await request(server)
      .get('/api/service-mesh/clusters')
      .set('Authorization', mockCredentials.service.header());
    expect(clusters.status).toBe(200);
    expect(clusters.body).toEqual({ items: [] });
  });

  it('registers its permissions and schedules a global refresh', async () => {
    const permissionsRegistry = mockServices.permissionsRegistry.mock();
    const scheduler = mockServices.scheduler.mock();
    await startTestBackend({
      features: [
        serviceMeshPlugin,
        await testDatabase(),
        catalogServiceMock.factory(),
        permissionsRegistry.factory,
        scheduler.factory,
      ],
    });
    expect(permissionsRegistry.addPermissions).toHaveBeenCalledWith(
      expect.arrayContaining([
        expect.objectContaining({ name: 'service-mesh.read' }),
        expect.objectContaining({ name: 'service-mesh.refresh' }),
      ]),
    );
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'service-mesh:refresh-snapshot',
        scope: 'global',
        frequency: { seconds: 30 },
      }),
    );
  });
});
