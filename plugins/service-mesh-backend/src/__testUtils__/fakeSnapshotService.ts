import { mockServices } from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { Finding } from '@internal/plugin-service-mesh-common';
import {
  DefaultMeshSnapshotService,
  MeshSnapshotService,
  MeshSnapshotState,
} from '../snapshot/MeshSnapshotService';
import { meshSnapshotServiceRef } from '../snapshot/meshSnapshotServiceRef';
import { demoManagement, demoMember, FakeClientFactory } from './fakeCluster';

/** A snapshot of the demo mesh (read from fake clusters; cluster3 unreachable) with one finding. */
export async function demoSnapshotState(
  findings: Finding[] = [],
): Promise<MeshSnapshotState> {
  const factory = new FakeClientFactory()
    .add(demoManagement('global', ['cluster1', 'cluster2']))
    .add(demoMember('cluster1', 'region1', 'network1', ['cluster2']))
    .add(demoMember('cluster2', 'region2', 'network2', ['cluster1']))
    .add(demoMember('cluster3', 'region3', 'network3', []));
  factory.clusters.get('cluster3')!.faults = { down: true };
  const service = DefaultMeshSnapshotService.create({
    logger: mockServices.logger.mock(),
    config: {
      managementCluster: 'global',
      clusterTimeoutSeconds: 5,
    },
    clusters: factory,
    analyze: () => findings,
  });
  return service.refresh();
}

/** A MeshSnapshotService that serves a fixed state; `refresh` is a mock. */
export function fakeSnapshotService(state: MeshSnapshotState) {
  const service = {
    current: jest.fn(async () => state),
    refresh: jest.fn(async () => state),
  } satisfies MeshSnapshotService;
  const factory = createServiceFactory({
    service: meshSnapshotServiceRef,
    deps: {},
    factory: () => service,
  });
  return { service, factory };
}
