import type { FindingsTrendPoint } from '@internal/plugin-service-mesh-common';
import { storeTestDatabases } from '../snapshot/__testUtils__/storeDatabases';
import {
  Knex,
  migrateSnapshotTables,
  TREND_TABLE,
} from '../snapshot/database/migrations';
import {
  DatabaseFindingsTrendStore,
  FindingsTrendStore,
  InMemoryFindingsTrendStore,
} from './FindingsTrendStore';
import { FindingsTrendConfig } from './config';

jest.setTimeout(120_000);

const databases = storeTestDatabases();
const HOUR = 3600_000;
const NOW = Date.parse('2026-12-07T12:00:00.000Z');

function point(hoursAgo: number, errors = 1): FindingsTrendPoint {
  return {
    at: new Date(NOW - hoursAgo * HOUR).toISOString(),
    bySeverity: { error: errors, warning: 2, info: 0 },
    byCode: { MESH010: errors, MESH032: 2 },
    byCluster: { cluster1: { error: errors, warning: 2, info: 0 } },
  };
}

type Make = (config: FindingsTrendConfig) => Promise<FindingsTrendStore>;

function behaves(make: () => Make) {
  it('lists the points of the window, oldest first, with their counts', async () => {
    const store = await make()({ retentionHours: 168, maxPoints: 100 });
    await store.record(point(30, 5));
    await store.record(point(2, 3));
    await store.record(point(1, 4));
    const day = await store.list(NOW - 24 * HOUR);
    expect(day).toEqual([point(2, 3), point(1, 4)]);
    expect((await store.list(NOW - 48 * HOUR)).map(p => p.at)).toEqual([
      point(30).at,
      point(2).at,
      point(1).at,
    ]);
  });

  it('drops points older than the retention on each write', async () => {
    const store = await make()({ retentionHours: 24, maxPoints: 100 });
    await store.record(point(30));
    await store.record(point(25));
    await store.record(point(1));
    expect((await store.list(0)).map(p => p.at)).toEqual([point(1).at]);
  });

  it('keeps the newest maxPoints rows', async () => {
    const store = await make()({ retentionHours: 168, maxPoints: 3 });
    for (const h of [6, 5, 4, 3, 2]) await store.record(point(h));
    expect((await store.list(0)).map(p => p.at)).toEqual(
      [4, 3, 2].map(h => point(h).at),
    );
  });
}

describe('InMemoryFindingsTrendStore', () => {
  behaves(
    () => async config => new InMemoryFindingsTrendStore(config, () => NOW),
  );
});

describe.each(databases.eachSupportedId())(
  'DatabaseFindingsTrendStore (%s)',
  id => {
    let knex: Knex;
    beforeEach(async () => {
      knex = (await databases.init(id)) as unknown as Knex;
      await migrateSnapshotTables(knex);
    });

    behaves(
      () => async config =>
        new DatabaseFindingsTrendStore({
          knex,
          config,
          owner: 'replica-a',
          now: () => NOW,
        }),
    );

    it('shares the history between replicas of one database', async () => {
      const config = { retentionHours: 168, maxPoints: 100 };
      const a = new DatabaseFindingsTrendStore({
        knex,
        config,
        owner: 'a',
        now: () => NOW,
      });
      const b = new DatabaseFindingsTrendStore({
        knex,
        config,
        owner: 'b',
        now: () => NOW,
      });
      await a.record(point(1, 7));
      expect(await b.list(0)).toEqual([point(1, 7)]);
      expect(await knex(TREND_TABLE).select('written_by')).toEqual([
        { written_by: 'a' },
      ]);
    });
  },
);
