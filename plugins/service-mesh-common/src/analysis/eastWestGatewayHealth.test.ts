import type { ClusterMeshData, MeshSnapshot } from '../types/snapshot';
import { edit, healthyMesh } from '../__testUtils__/fixtures';
import { findingsOf } from '../__testUtils__/findings';
import {
  assessEastWestGateways,
  eastWestGatewayHealth,
} from './eastWestGatewayHealth';

const health = (snapshot: MeshSnapshot, cluster: string) => {
  const data = snapshot.clusters.find(c => c.name === cluster)!.data!;
  return eastWestGatewayHealth(assessEastWestGateways(data));
};

const GATEWAY_CODES = ['MESH031', 'MESH032', 'MESH033', 'MESH034', 'MESH035'];

describe('eastWestGatewayHealth', () => {
  it('is healthy on the healthy mesh, where no gateway finding fires', () => {
    const snapshot = healthyMesh();
    for (const code of GATEWAY_CODES)
      expect(findingsOf(snapshot, code)).toEqual([]);
    expect(health(snapshot, 'cluster1')).toMatchObject({
      health: 'healthy',
      readyReplicas: 1,
    });
    expect(health(snapshot, 'cluster1').problems).toBeUndefined();
  });

  // Each break makes a gateway check fire; the badge must then not say healthy (issue 20).
  it.each<[string, string, (d: ClusterMeshData) => void, string]>([
    [
      'MESH031',
      'replicas',
      d => void (d.eastWestGateways[0].desiredReplicas = 2),
      'degraded',
    ],
    [
      'MESH031',
      'replicas',
      d => void (d.eastWestGateways[0].readyReplicas = 0),
      'down',
    ],
    [
      'MESH032',
      'no-address',
      d => void (d.eastWestGateways[0].addresses = []),
      'degraded',
    ],
    [
      'MESH033',
      'no-cross-network-port',
      d => void (d.eastWestGateways[0].ports = [{ port: 15021 }]),
      'degraded',
    ],
    [
      'MESH034',
      'no-passthrough-gateway',
      d => void (d.gateways = []),
      'degraded',
    ],
    [
      'MESH035',
      'no-network-label',
      d => void delete d.eastWestGateways[0].network,
      'degraded',
    ],
    [
      'MESH035',
      'network-mismatch',
      d => void (d.eastWestGateways[0].network = 'elsewhere'),
      'degraded',
    ],
  ])('%s (%s) → %s', (code, problem, breakIt, expected) => {
    const snapshot = edit(healthyMesh(), 'cluster1', breakIt);
    expect(
      findingsOf(snapshot, code).filter(f => f.clusters.includes('cluster1')),
    ).not.toEqual([]);
    const shown = health(snapshot, 'cluster1');
    expect(shown.health).toBe(expected);
    expect(shown.problems).toContain(problem);
  });

  it('reports the best of several gateways, and absent without one', () => {
    const snapshot = edit(healthyMesh(), 'cluster1', d => {
      d.eastWestGateways = [
        { ...d.eastWestGateways[0], name: 'old', readyReplicas: 0 },
        d.eastWestGateways[0],
      ];
    });
    expect(health(snapshot, 'cluster1').health).toBe('healthy');
    expect(eastWestGatewayHealth(undefined).health).toBe('absent');
  });

  it('does not count a passthrough Gateway it could not read as missing', () => {
    const data = edit(healthyMesh(), 'cluster1', d => {
      d.gateways = [];
    }).clusters.find(c => c.name === 'cluster1')!.data!;
    expect(assessEastWestGateways(data, false).noPassthroughGateway).toBe(
      false,
    );
  });
});
