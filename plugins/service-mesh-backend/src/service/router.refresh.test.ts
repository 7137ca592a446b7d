/*
 * POST /refresh when the plugin database is down while a snapshot is still in memory: the refresh cannot be
 * coordinated (the scheduler's task table is in that database), so the route answers 503 naming the database
 * instead of a 202 for a refresh that never happens. The real plugin, the real scheduler and the real snapshot
 * store, on a database whose connection is cut and restored.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { serviceMeshPlugin } from '../plugin';
import type { Knex } from '../snapshot/database/migrations';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/** What a driver throws when the database server is gone. */
const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
    code: 'ECONNREFUSED',
  });

/** A knex client whose every query fails while `down.value` is true, as with a stopped database server. */
function cuttable(knex: Knex, down: { value: boolean }): Knex {
  // Any query builder call chains; awaiting it rejects.
  const failing: any = new Proxy(() => undefined, {
    get: (_target, prop) =>
      prop === 'then'
        ? (resolve: any, reject: any) =>
            Promise.reject(refused()).then(resolve, reject)
        : () => failing,
    apply: () => failing,
  });
  return new Proxy(knex, {
    apply: (target, thisArg, args) =>
      down.value ? failing : Reflect.apply(target as any, thisArg, args),
    get: (target, prop, receiver) =>
      down.value && (prop === 'transaction' || prop === 'raw')
        ? () => failing
        : Reflect.get(target, prop, receiver),
  }) as Knex;
}

describe('POST /refresh with the plugin database down', () => {
  it('answers 503 naming the plugin database while it is down, 202 again once it is back', async () => {
    const down = { value: false };
    const knex = cuttable((await databases.init('SQLITE_3')) as any, down);
    const { server } = await startTestBackend({
      features: [
        serviceMeshPlugin,
        mockServices.database.factory({ knex: knex as any }),
        schedulerServiceFactory,
        catalogServiceMock.factory(),
      ],
    });
    const post = (path: string) =>
      request(server)
        .post(`/api/service-mesh${path}`)
        .set('Authorization', mockCredentials.user.header());

    // A snapshot in memory first, published through the scheduler's task.
    expect((await post('/refresh?wait=true')).status).toBe(200);

    down.value = true;
    const refused503 = await post('/refresh');
    expect(refused503.status).toBe(503);
    expect(refused503.body.error.name).toBe('ServiceUnavailableError');
    expect(refused503.body.error.message).toMatch(/plugin database/);
    // The snapshot in memory is still served meanwhile.
    const overview = await request(server)
      .get('/api/service-mesh/overview')
      .set('Authorization', mockCredentials.user.header());
    expect(overview.status).toBe(200);
    // ?wait=true is refused the same way.
    expect((await post('/refresh?wait=true')).status).toBe(503);

    down.value = false;
    const accepted = await post('/refresh');
    expect(accepted.status).toBe(202);
    expect(accepted.headers.location).toBe('refresh');
  });
});
