import { mockServices } from '@backstage/backend-test-utils';
import {
  Finding,
  MESH_SNAPSHOT_SCHEMA_VERSION,
} from '@internal/plugin-service-mesh-common';
import {
  InMemorySnapshotStore,
  RefreshSupersededError,
  StoredSnapshot,
} from '../snapshot/SnapshotStore';
import { InMemoryFindingsTrendStore } from './FindingsTrendStore';
import { TrendRecordingSnapshotStore } from './TrendRecordingSnapshotStore';

const generatedAt = new Date().toISOString();
const stored: StoredSnapshot = {
  snapshot: {
    schemaVersion: MESH_SNAPSHOT_SCHEMA_VERSION,
    generatedAt,
    clusters: [],
  },
  findings: [
    {
      code: 'MESH032',
      severity: 'warning',
      title: 't',
      message: 'm',
      clusters: ['cluster1'],
      hint: 'h',
    } as Finding,
  ],
};

const config = { retentionHours: 24, maxPoints: 10 };

describe('TrendRecordingSnapshotStore', () => {
  it('records one point per published snapshot', async () => {
    const trend = new InMemoryFindingsTrendStore(config);
    const inner = new InMemorySnapshotStore();
    const store = new TrendRecordingSnapshotStore(
      inner,
      trend,
      mockServices.logger.mock(),
    );
    await store.set(stored);
    expect(await store.get()).toBe(stored);
    expect(await trend.list(0)).toEqual([
      {
        at: generatedAt,
        bySeverity: { error: 0, warning: 1, info: 0 },
        byCode: { MESH032: 1 },
        byCluster: { cluster1: { error: 0, warning: 1, info: 0 } },
      },
    ]);
    // An in-process store has no health; the decorator does not invent one.
    expect(store.health).toBeUndefined();
  });

  it('records nothing when the run was superseded (not published)', async () => {
    const trend = new InMemoryFindingsTrendStore(config);
    const inner = new InMemorySnapshotStore();
    inner.set = async () => {
      throw new RefreshSupersededError('lease lost');
    };
    const store = new TrendRecordingSnapshotStore(
      inner,
      trend,
      mockServices.logger.mock(),
    );
    await expect(store.set(stored)).rejects.toThrow(RefreshSupersededError);
    expect(await trend.list(0)).toEqual([]);
  });

  it('publishes the snapshot even when the trend write fails', async () => {
    const trend = new InMemoryFindingsTrendStore(config);
    trend.record = async () => {
      throw new Error('database gone');
    };
    const logger = mockServices.logger.mock();
    const store = new TrendRecordingSnapshotStore(
      new InMemorySnapshotStore(),
      trend,
      logger,
    );
    await store.set(stored);
    expect(await store.get()).toBe(stored);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('database gone'),
    );
  });
});
