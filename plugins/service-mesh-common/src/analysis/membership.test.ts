import {
  DEFAULT_MEMBERS,
  emptyData,
  healthyMesh,
} from '../__testUtils__/fixtures';
import { isMultiNetwork, meshMembers } from './membership';

describe('meshMembers / isMultiNetwork', () => {
  it('excludes the management cluster that only holds ServiceMesh resources', () => {
    expect(meshMembers(healthyMesh()).map(c => c.name)).toEqual([
      'cluster1',
      'cluster2',
      'cluster3',
    ]);
  });

  it('includes a management cluster that runs an istiod', () => {
    const snapshot = healthyMesh();
    snapshot.clusters[0].data!.controlPlanes =
      healthyMesh().clusters[1].data!.controlPlanes;
    expect(meshMembers(snapshot).map(c => c.name)).toContain('global');
  });

  it('is multi-network with more than one network among members', () => {
    expect(isMultiNetwork(healthyMesh())).toBe(true);
    expect(
      isMultiNetwork(
        healthyMesh(DEFAULT_MEMBERS.map(m => ({ ...m, network: 'n1' }))),
      ),
    ).toBe(false);
  });

  it('reads the network from data when the cluster has none configured', () => {
    const snapshot = healthyMesh();
    for (const c of snapshot.clusters) delete c.network;
    expect(isMultiNetwork(snapshot)).toBe(true);
    snapshot.clusters[3].data = emptyData();
    expect(isMultiNetwork(snapshot)).toBe(false);
  });

  it('tolerates malformed snapshots', () => {
    expect(meshMembers(null as any)).toEqual([]);
    expect(isMultiNetwork({ clusters: 'x' } as any)).toBe(false);
  });
});
