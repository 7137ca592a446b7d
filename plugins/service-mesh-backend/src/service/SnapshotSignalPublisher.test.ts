import { mockServices } from '@backstage/backend-test-utils';
import { SNAPSHOT_SIGNAL_CHANNEL } from '@internal/plugin-service-mesh-common';
import {
  demoManagement,
  demoMember,
  FakeClientFactory,
} from '../__testUtils__/fakeCluster';
import { DefaultMeshSnapshotService } from '../snapshot/MeshSnapshotService';
import { SnapshotSignalPublisher } from './SnapshotSignalPublisher';

describe('SnapshotSignalPublisher', () => {
  it('announces each new snapshot once, and nothing before the first', async () => {
    const factory = new FakeClientFactory()
      .add(demoManagement('global', ['cluster1']))
      .add(demoMember('cluster1', 'region1', 'network1', []));
    const snapshot = DefaultMeshSnapshotService.create({
      logger: mockServices.logger.mock(),
      config: {
        managementCluster: 'global',
        clusterTimeoutSeconds: 5,
      },
      clusters: factory,
      analyze: () => [],
    });
    const publish = jest.fn(async () => {});
    const publisher = new SnapshotSignalPublisher({
      snapshot,
      signals: { publish },
      logger: mockServices.logger.mock(),
    });

    await publisher.check();
    expect(publish).not.toHaveBeenCalled();

    const first = await snapshot.refresh();
    await publisher.check();
    await publisher.check();
    expect(publish).toHaveBeenCalledTimes(1);
    expect(publish).toHaveBeenLastCalledWith({
      recipients: { type: 'broadcast' },
      channel: SNAPSHOT_SIGNAL_CHANNEL,
      message: { generatedAt: first.snapshot.generatedAt },
    });

    // Force a later time stamp for the second snapshot.
    await new Promise(resolve => setTimeout(resolve, 5));
    const second = await snapshot.refresh();
    await publisher.check();
    expect(publish).toHaveBeenCalledTimes(2);
    expect(publish).toHaveBeenLastCalledWith(
      expect.objectContaining({
        message: { generatedAt: second.snapshot.generatedAt },
      }),
    );
  });
});
