import { mockServices } from '@backstage/backend-test-utils';
import {
  Finding,
  MESH_SNAPSHOT_SCHEMA_VERSION,
} from '@internal/plugin-service-mesh-common';
import { eventually } from '../__testUtils__/eventually';
import { largeSnapshot } from './__testUtils__/largeSnapshot';
import {
  CHUNKS_TABLE,
  Knex,
  MANIFEST_TABLE,
  migrateSnapshotTables,
} from './database/migrations';
import {
  DatabaseSnapshotStore,
  DatabaseSnapshotStoreOptions,
} from './DatabaseSnapshotStore';
import { DatabaseRefreshLease } from './RefreshLease';
import { encodeSnapshot } from './snapshotCodec';
import { RefreshSupersededError, StoredSnapshot } from './SnapshotStore';
import { storeTestDatabases } from './__testUtils__/storeDatabases';

jest.setTimeout(120_000);

const databases = storeTestDatabases();

function small(generatedAt: string, clusters = ['c1']): StoredSnapshot {
  return {
    snapshot: {
      schemaVersion: MESH_SNAPSHOT_SCHEMA_VERSION,
      generatedAt,
      clusters: clusters.map(name => ({
        name,
        role: 'member',
        status: 'ok',
      })),
    },
    findings: [
      {
        code: 'MESH090',
        severity: 'error',
        title: 't',
        message: generatedAt,
        clusters,
        hint: 'h',
      } as Finding,
    ],
  };
}

describe.each(databases.eachSupportedId())('DatabaseSnapshotStore (%s)', id => {
  let knex: Knex;
  const logger = mockServices.logger.mock();

  async function store(
    options: Partial<DatabaseSnapshotStoreOptions> = {},
  ): Promise<DatabaseSnapshotStore> {
    return DatabaseSnapshotStore.create({
      knex,
      logger,
      pollIntervalMs: 0,
      ...options,
    });
  }

  beforeEach(async () => {
    knex = (await databases.init(id)) as unknown as Knex;
    jest.clearAllMocks();
  });

  it('stores a 200k-endpoint snapshot gzipped in bounded chunks and reads it back intact', async () => {
    const { snapshot, endpoints } = largeSnapshot();
    expect(endpoints).toBe(200_000);
    const value: StoredSnapshot = { snapshot, findings: [] };
    const chunkBytes = 256 * 1024;
    const writer = await store({ chunkBytes, owner: 'replica-a' });
    await writer.set(value);

    const manifest = writer.manifest!;
    const rows = await knex(CHUNKS_TABLE)
      .where({ generation: manifest.generation })
      .select('seq', 'data');
    expect(rows).toHaveLength(manifest.chunkCount);
    expect(manifest.chunkCount).toBeGreaterThan(1);
    for (const row of rows)
      expect(row.data.length).toBeLessThanOrEqual(chunkBytes);
    // ~58 MB of JSON, stored as ~1.7 MB.
    expect(manifest.rawBytes).toBeGreaterThan(50_000_000);
    expect(manifest.storedBytes).toBeLessThan(manifest.rawBytes / 20);
    console.info(
      `200k endpoints (${id}): ${manifest.rawBytes} bytes of JSON stored as ${manifest.storedBytes} bytes in ${manifest.chunkCount} chunks of at most ${chunkBytes}`,
    );

    // Another replica reads it from the database.
    const reader = await store();
    const read = await reader.get();
    expect(read).not.toBe(value);
    expect(JSON.stringify(read)).toBe(JSON.stringify(value));
    expect(reader.manifest).toMatchObject({
      generation: manifest.generation,
      sequence: 1,
      schemaVersion: MESH_SNAPSHOT_SCHEMA_VERSION,
      writtenBy: 'replica-a',
    });
  });

  it('never reads a half-written generation, and deletes it once it is old', async () => {
    let now = 1_000_000;
    const writer = await store({ now: () => now, garbageAfterMs: 60_000 });
    const first = small('2026-01-01T00:00:00.000Z');
    await writer.set(first);

    // A writer that died after writing its chunks, before switching the manifest.
    const dead = await encodeSnapshot(small('dead'), 16);
    for (let i = 0; i < dead.chunks.length - 1; i++) {
      await knex(CHUNKS_TABLE).insert({
        generation: 'dead-generation',
        seq: i,
        data: dead.chunks[i],
        created_at_ms: now,
      });
    }
    const reader = await store({ now: () => now });
    expect((await reader.get())?.snapshot.generatedAt).toBe(
      '2026-01-01T00:00:00.000Z',
    );

    // A manifest that names chunks that are not all there is ignored: the reader keeps what it has.
    const second = small('2026-01-01T00:01:00.000Z');
    await writer.set(second);
    const generation = writer.manifest!.generation;
    await knex(CHUNKS_TABLE).where({ generation, seq: 0 }).delete();
    const before = await reader.get({ latest: true });
    expect(before?.snapshot.generatedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining('0 of 1 chunks present'),
    );

    // Once older than garbageAfterMs, the dead writer's chunks go with the next publication.
    now += 61_000;
    await writer.set(small('2026-01-01T00:02:00.000Z'));
    const generations = (await knex(CHUNKS_TABLE).distinct('generation')).map(
      r => r.generation,
    );
    // The previous generation is the broken one, whose only chunk this test deleted.
    expect(generations).toEqual([writer.manifest!.generation]);
    expect((await reader.get({ latest: true }))?.snapshot.generatedAt).toBe(
      '2026-01-01T00:02:00.000Z',
    );
  });

  it('keeps only the current and the previous generation', async () => {
    const writer = await store();
    for (let i = 0; i < 5; i++) {
      await writer.set(small(`2026-01-01T00:0${i}:00.000Z`));
    }
    const manifest = writer.manifest!;
    const generations = (await knex(CHUNKS_TABLE).distinct('generation')).map(
      r => r.generation,
    );
    expect(generations.sort()).toEqual(
      [manifest.generation, manifest.previousGeneration].sort(),
    );
    expect(manifest.sequence).toBe(5);
  });

  it('discards a snapshot of an older format and asks for a refresh, once', async () => {
    const old = await store({
      schemaVersion: MESH_SNAPSHOT_SCHEMA_VERSION - 1,
    });
    await old.set(small('old'));
    const onOutdatedSnapshot = jest.fn();
    const reader = await store({ onOutdatedSnapshot });
    expect(await reader.get()).toBeUndefined();
    expect(await reader.get({ latest: true })).toBeUndefined();
    expect(onOutdatedSnapshot).toHaveBeenCalledTimes(1);
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining(
        `Discarding the stored mesh snapshot (format ${
          MESH_SNAPSHOT_SCHEMA_VERSION - 1
        }`,
      ),
    );

    // The refresh replaces it.
    await reader.set(small('new'));
    const another = await store();
    expect((await another.get())?.snapshot.generatedAt).toBe('new');
  });

  it('ignores a snapshot of a newer format without overwriting it', async () => {
    const newer = await store({
      schemaVersion: MESH_SNAPSHOT_SCHEMA_VERSION + 1,
    });
    await newer.set(small('newer'));
    const onOutdatedSnapshot = jest.fn();
    const outdated = await store({ onOutdatedSnapshot });
    expect(await outdated.get()).toBeUndefined();
    expect(onOutdatedSnapshot).not.toHaveBeenCalled();

    await outdated.set(small('older version'));
    const row = await knex(MANIFEST_TABLE).first();
    expect(row.schema_version).toBe(MESH_SNAPSHOT_SCHEMA_VERSION + 1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('Not publishing the mesh snapshot'),
    );
    // Its chunks were removed again.
    expect(
      await knex(CHUNKS_TABLE).whereNot({ generation: row.generation }),
    ).toEqual([]);
  });

  it('publishes only for the run that holds the refresh lease', async () => {
    const lease = new DatabaseRefreshLease(knex);
    const writer = await store();
    await lease.begin('run-1', 'replica-a');
    await writer.set(small('run-1'), { runId: 'run-1' });

    // run-2 replaced run-1 (run-1 was declared dead): run-1 can no longer publish.
    await lease.begin('run-2', 'replica-b');
    await expect(
      writer.set(small('late run-1'), { runId: 'run-1' }),
    ).rejects.toBeInstanceOf(RefreshSupersededError);
    expect(await lease.beat('run-1')).toBe(false);
    expect(await lease.beat('run-2')).toBe(true);

    // A reaped run cannot publish either.
    expect(await lease.reap('run-2', 1, 'replica-c')).toBe(true);
    expect(await lease.reap('run-2', 1, 'replica-d')).toBe(false);
    await expect(
      writer.set(small('reaped run-2'), { runId: 'run-2' }),
    ).rejects.toBeInstanceOf(RefreshSupersededError);

    const reader = await store();
    expect((await reader.get())?.snapshot.generatedAt).toBe('run-1');
    expect(await knex(CHUNKS_TABLE).distinct('generation')).toHaveLength(1);
    expect(await lease.read()).toMatchObject({
      runId: 'run-2',
      finished: true,
      reapedBy: 'replica-c',
    });
  });

  it('reads only the manifest row per polling period, and the chunks only for a new generation', async () => {
    let now = 0;
    const writer = await store();
    await writer.set(small('one'));
    const reader = await store({ now: () => now, pollIntervalMs: 2000 });
    const queries: string[] = [];
    knex.on('query', (q: { sql: string }) => queries.push(q.sql));
    try {
      const first = await reader.get();
      const tables = () => ({
        manifest: queries.filter(q => q.includes(MANIFEST_TABLE)).length,
        chunks: queries.filter(q => q.includes(CHUNKS_TABLE)).length,
      });
      expect(tables()).toEqual({ manifest: 1, chunks: 1 });

      // Within the polling period: from memory, the same object.
      now += 1000;
      for (let i = 0; i < 10; i++) expect(await reader.get()).toBe(first);
      expect(tables()).toEqual({ manifest: 1, chunks: 1 });

      // After it: one manifest read, no chunks while the generation is unchanged.
      now += 1500;
      await reader.get({ latest: true });
      expect(tables()).toEqual({ manifest: 2, chunks: 1 });

      // A new generation: loaded once, with a new identity.
      await writer.set(small('two'));
      queries.length = 0;
      now += 2500;
      const second = await reader.get();
      expect(second).not.toBe(first);
      expect(second?.snapshot.generatedAt).toBe('two');
      expect(await reader.get()).toBe(second);
      expect(tables()).toEqual({ manifest: 1, chunks: 1 });
    } finally {
      knex.removeAllListeners('query');
    }
  });

  it('loads new generations in the background when polling', async () => {
    const writer = await store();
    await writer.set(small('one'));
    const reader = await store({ pollIntervalMs: 50 });
    await reader.get();
    reader.startPolling();
    try {
      await writer.set(small('two'));
      await eventually(
        () => reader.manifest?.generatedAt === 'two',
        'the reader to load the new generation',
      );
      expect(reader.manifest?.generatedAt).toBe('two');
    } finally {
      reader.stopPolling();
    }
  });

  it('runs its migrations idempotently, also from replicas starting together', async () => {
    const fresh = (await databases.init(id)) as unknown as Knex;
    await Promise.all([
      migrateSnapshotTables(fresh, { delayMs: 50 }),
      migrateSnapshotTables(fresh, { delayMs: 50 }),
    ]);
    await migrateSnapshotTables(fresh);
    expect(await fresh.schema.hasTable(MANIFEST_TABLE)).toBe(true);
  });
});
