/*
 * The refresh routes with a shared cache that never answers, as Backstage's Redis client does once Redis went away
 * (it queues commands while it reconnects, and after a Redis restart it may never reconnect): GET and POST
 * /refresh still answer, because the refresh progress goes through the plugin's ResilientCache (bounded calls,
 * in-process fallback). Before, GET /refresh waited on the cache for ever, and a replica told to stop during a
 * POST /refresh never exited (found by the production test's SIGTERM case after its Redis case).
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  CacheService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { serviceMeshPlugin } from '../plugin';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/** Every call waits for ever, counted. */
function silentCache(calls: string[]): CacheService {
  const never = () => new Promise<never>(() => {});
  const cache: CacheService = {
    get: async key => {
      calls.push(`get ${key}`);
      return never();
    },
    set: async key => {
      calls.push(`set ${key}`);
      return never();
    },
    delete: async () => never(),
    withOptions: () => cache,
  };
  return cache;
}

describe('the refresh routes while the shared cache does not answer', () => {
  it('GET /refresh and POST /refresh answer from this replica', async () => {
    const calls: string[] = [];
    const { server } = await startTestBackend({
      features: [
        serviceMeshPlugin,
        mockServices.database.factory({
          knex: (await databases.init('SQLITE_3')) as any,
        }),
        schedulerServiceFactory,
        catalogServiceMock.factory(),
        createServiceFactory({
          service: coreServices.cache,
          deps: {},
          factory: () => silentCache(calls),
        }),
      ],
    });
    const auth = mockCredentials.user.header();

    expect(
      (
        await request(server)
          .post('/api/service-mesh/refresh?wait=true')
          .set('Authorization', auth)
      ).status,
    ).toBe(200);
    // The run is over: GET /refresh reads the shared cache first (another replica may be reading).
    const progress = await request(server)
      .get('/api/service-mesh/refresh')
      .set('Authorization', auth);
    expect(progress.status).toBe(200);
    expect(progress.body.state).toBe('idle');
    const accepted = await request(server)
      .post('/api/service-mesh/refresh')
      .set('Authorization', auth);
    expect(accepted.status).toBe(202);
    // The cache was used and never answered: the answers did not wait for it.
    expect(calls).toContain('set refresh-progress');
  });
});
