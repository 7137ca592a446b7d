/*
 * Corrupt state and a failing database: every broken generation is detected, logged once, discarded and replaced
 * by the next publication; failed writes are retried with backoff while the snapshot in memory keeps serving.
 * SQLite always; PostgreSQL too under scripts/production-test.sh (it sets the connection string).
 */
import { mockServices } from '@backstage/backend-test-utils';
import { ServiceUnavailableError } from '@backstage/errors';
import {
  Finding,
  MESH_SNAPSHOT_SCHEMA_VERSION,
} from '@internal/plugin-service-mesh-common';
import { CHUNKS_TABLE, Knex, MANIFEST_TABLE } from './database/migrations';
import {
  backoffMs,
  DatabaseSnapshotStore,
  DatabaseSnapshotStoreOptions,
} from './DatabaseSnapshotStore';
import { FakeClientFactory } from '../__testUtils__/fakeCluster';
import { DefaultMeshSnapshotService } from './MeshSnapshotService';
import { StoredSnapshot } from './SnapshotStore';
import { storeTestDatabases } from './__testUtils__/storeDatabases';

jest.setTimeout(60_000);

const databases = storeTestDatabases();

function small(generatedAt: string): StoredSnapshot {
  return {
    snapshot: {
      schemaVersion: MESH_SNAPSHOT_SCHEMA_VERSION,
      generatedAt,
      clusters: [{ name: 'c1', role: 'member', status: 'ok' }],
    },
    findings: [
      {
        code: 'MESH090',
        severity: 'error',
        title: 't',
        message: generatedAt,
        clusters: ['c1'],
        hint: 'h',
      } as Finding,
    ],
  };
}

/** The knex client, except that the first `failures` statements on `table` fail as an unreachable server does. */
function failingOn(knex: Knex, table: string, failures: { left: number }) {
  const refused = () =>
    Promise.reject(
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
        code: 'ECONNREFUSED',
      }),
    );
  const broken = new Proxy({} as any, {
    get: (_t, prop) =>
      prop === 'then'
        ? undefined
        : () => (prop === 'first' ? refused() : broken),
  });
  const failing = { insert: refused, first: refused, where: () => broken };
  return new Proxy(knex, {
    apply(target, thisArg, args) {
      if (args[0] === table && failures.left > 0) {
        failures.left--;
        return failing;
      }
      return Reflect.apply(target as any, thisArg, args);
    },
  }) as Knex;
}

describe.each(databases.eachSupportedId())(
  'DatabaseSnapshotStore faults (%s)',
  id => {
    let knex: Knex;
    const logger = mockServices.logger.mock();

    function store(options: Partial<DatabaseSnapshotStoreOptions> = {}) {
      return DatabaseSnapshotStore.create({
        knex,
        logger,
        pollIntervalMs: 0,
        writeBackoffMs: 1,
        ...options,
      });
    }

    beforeEach(async () => {
      knex = (await databases.init(id)) as unknown as Knex;
      jest.clearAllMocks();
    });

    /** A reader holding generation one; then the writer publishes two, which the test breaks. */
    async function brokenSecond(
      breakIt: (generation: string) => Promise<void>,
    ) {
      const writer = await store({ owner: 'writer' });
      await writer.set(small('one'));
      const onOutdatedSnapshot = jest.fn();
      const reader = await store({ onOutdatedSnapshot });
      const held = await reader.get();
      expect(held?.snapshot.generatedAt).toBe('one');
      await writer.set(small('two'));
      await breakIt(writer.manifest!.generation);
      // Several polls: the broken generation is read, rejected and logged once, and the copy held is served.
      for (let i = 0; i < 3; i++) {
        expect(await reader.get({ latest: true })).toBe(held);
      }
      expect(onOutdatedSnapshot).toHaveBeenCalledTimes(1);
      const errors = logger.error.mock.calls.filter(([m]) =>
        String(m).includes('Ignoring mesh snapshot generation 2'),
      );
      expect(errors).toHaveLength(1);
      // A replica that starts now has nothing to serve from it (an empty snapshot until the refresh).
      const fresh = await store();
      expect(await fresh.get()).toBeUndefined();
      // The refresh it triggered publishes a new generation, which every reader loads.
      await writer.set(small('three'));
      expect((await reader.get({ latest: true }))?.snapshot.generatedAt).toBe(
        'three',
      );
      expect((await fresh.get({ latest: true }))?.snapshot.generatedAt).toBe(
        'three',
      );
      return errors[0][0] as string;
    }

    it('discards a generation whose checksum does not match, and the next refresh replaces it', async () => {
      const message = await brokenSecond(async generation => {
        const row = await knex(CHUNKS_TABLE)
          .where({ generation, seq: 0 })
          .first();
        const data = Buffer.from(row.data);
        data[data.length - 1] ^= 0xff; // one flipped byte, same length
        await knex(CHUNKS_TABLE).where({ generation, seq: 0 }).update({ data });
      });
      expect(message).toContain('checksum mismatch');
    });

    it('discards a generation with a truncated chunk', async () => {
      const message = await brokenSecond(async generation => {
        const row = await knex(CHUNKS_TABLE)
          .where({ generation, seq: 0 })
          .first();
        const data = Buffer.from(row.data).subarray(0, 10);
        await knex(CHUNKS_TABLE).where({ generation, seq: 0 }).update({ data });
      });
      expect(message).toMatch(/expected \d+ bytes, found 10/);
    });

    it('discards a manifest whose chunks are missing', async () => {
      const message = await brokenSecond(async generation => {
        await knex(CHUNKS_TABLE).where({ generation }).delete();
      });
      expect(message).toContain('0 of 1 chunks present');
    });

    it('discards a manifest with a bad checksum field', async () => {
      const message = await brokenSecond(async () => {
        await knex(MANIFEST_TABLE).update({ sha256: '0'.repeat(64) });
      });
      expect(message).toContain('checksum mismatch');
    });

    it('discards an unknown schema version (invalid, or newer and abandoned) and overwrites it', async () => {
      for (const [version, writtenAgoMs] of [
        [0, 0],
        [-3, 0],
        [MESH_SNAPSHOT_SCHEMA_VERSION + 7, 60 * 60_000],
      ]) {
        jest.clearAllMocks();
        const writer = await store();
        await writer.set(small(`before ${version}`));
        await knex(MANIFEST_TABLE).update({
          schema_version: version,
          written_at_ms: Date.now() - writtenAgoMs,
        });
        const onOutdatedSnapshot = jest.fn();
        const reader = await store({ onOutdatedSnapshot });
        expect(await reader.get()).toBeUndefined();
        expect(await reader.get({ latest: true })).toBeUndefined();
        expect(onOutdatedSnapshot).toHaveBeenCalledTimes(1);
        expect(
          logger.info.mock.calls.filter(([m]) =>
            String(m).includes(
              `Discarding the stored mesh snapshot (format ${version}`,
            ),
          ),
        ).toHaveLength(1);
        // The refresh it asked for is published over it.
        await reader.set(small(`after ${version}`));
        const row = await knex(MANIFEST_TABLE).first();
        expect(Number(row.schema_version)).toBe(MESH_SNAPSHOT_SCHEMA_VERSION);
        expect((await (await store()).get())?.snapshot.generatedAt).toBe(
          `after ${version}`,
        );
      }
    });

    it('retries a publication whose writes fail, with backoff, and serves the snapshot in memory meanwhile', async () => {
      const failures = { left: 0 };
      const writer = await store({
        knex: failingOn(knex, CHUNKS_TABLE, failures),
        writeAttempts: 4,
      });
      await writer.set(small('one'));
      const held = await writer.get();

      // Three failures, then it works: published on the fourth attempt, one warning, one recovery line.
      failures.left = 3;
      await writer.set(small('two'));
      expect(failures.left).toBe(0);
      expect((await (await store()).get())?.snapshot.generatedAt).toBe('two');
      const warnings = logger.warn.mock.calls.filter(([m]) =>
        String(m).includes('Failed to publish the mesh snapshot'),
      );
      expect(warnings).toHaveLength(1);
      expect(logger.info).toHaveBeenCalledWith(
        'Publishing the mesh snapshot to the plugin database works again',
      );
      expect(writer.health()).toMatchObject({
        status: 'ok',
        hasSnapshot: true,
      });

      // Failing for good: it gives up after its attempts; what it held is still served, health says why.
      failures.left = Infinity;
      const current = await writer.get();
      expect(current).not.toBe(held);
      await expect(writer.set(small('three'))).rejects.toThrow('ECONNREFUSED');
      expect(await writer.get()).toBe(current);
      expect(writer.health()).toMatchObject({
        status: 'failing',
        error: expect.stringContaining('ECONNREFUSED'),
        hasSnapshot: true,
        sequence: 2,
      });
      // Nothing of the failed attempts is left behind.
      expect(await knex(CHUNKS_TABLE).distinct('generation')).toHaveLength(2);
    });

    it('stops retrying when the run is aborted', async () => {
      const failures = { left: Infinity };
      const writer = await store({
        knex: failingOn(knex, CHUNKS_TABLE, failures),
        writeAttempts: 100,
        writeBackoffMs: 60_000,
      });
      const controller = new AbortController();
      const publishing = writer.set(small('one'), {
        signal: controller.signal,
      });
      // Wait for the first failure (the warning), then abort during the backoff.
      for (let i = 0; i < 500 && logger.warn.mock.calls.length === 0; i++) {
        await new Promise(r => setImmediate(r));
      }
      controller.abort(new Error('run aborted'));
      await expect(publishing).rejects.toThrow('run aborted');
    });

    it('answers 503 naming the database when it cannot be read and nothing is in memory', async () => {
      const writer = await store();
      await writer.set(small('one'));
      const failures = { left: Infinity };
      const reader = await store({
        knex: failingOn(knex, MANIFEST_TABLE, failures),
        skipMigrations: true,
      });
      const service = DefaultMeshSnapshotService.create({
        logger,
        config: { clusterTimeoutSeconds: 1 },
        clusters: new FakeClientFactory(),
        store: reader,
      });
      const error = await service.current().catch(e => e);
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toContain('the plugin database');
      expect(error.message).toContain('ECONNREFUSED');
      expect(reader.health()).toMatchObject({
        status: 'failing',
        hasSnapshot: false,
      });
      // Once the database answers again, the snapshot is served.
      failures.left = 0;
      expect(await service.current()).toMatchObject({
        snapshot: { generatedAt: 'one' },
      });
      expect(
        logger.warn.mock.calls.filter(([m]) =>
          String(m).includes('Failed to read the mesh snapshot'),
        ),
      ).toHaveLength(1);
    });
  },
);

describe('backoffMs', () => {
  it('doubles per attempt with ±50% jitter, capped', () => {
    for (const attempt of [1, 2, 3, 9, 20]) {
      const exp = 100 * 2 ** Math.min(attempt - 1, 8);
      const draws = Array.from({ length: 200 }, () => backoffMs(100, attempt));
      for (const d of draws) {
        expect(d).toBeGreaterThanOrEqual(Math.floor(exp * 0.5));
        expect(d).toBeLessThanOrEqual(Math.ceil(exp * 1.5));
      }
      // Jitter: replicas that failed together do not retry in lockstep.
      expect(new Set(draws).size).toBeGreaterThan(10);
    }
  });
});
