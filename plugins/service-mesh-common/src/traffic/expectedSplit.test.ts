import { demoMesh } from '../testUtils/demoMesh';
import {
  clusterLocalities,
  clusterNameResolver,
  expectedSplitByCluster,
} from './expectedSplit';

const product = { namespace: 'global-svc', name: 'product-service' };

/** The demo with cluster1's istiod reporting every remote synced (so cluster3 is discovered, and unroutable). */
function syncedDemo() {
  const snapshot = demoMesh();
  for (const view of snapshot.clusters.find(c => c.name === 'cluster1')!.data!
    .istiod ?? [])
    for (const r of view.remoteClusters ?? []) r.syncStatus = 'synced';
  return snapshot;
}

function rounded(shares: Record<string, number>) {
  return Object.fromEntries(
    Object.entries(shares).map(([k, v]) => [k, Math.round(v * 10) / 10]),
  );
}

describe('expectedSplitByCluster', () => {
  it('follows the client cluster’s DestinationRule, over what the client can reach: 70/20/10 from us-east-1 without cluster3', () => {
    const split = expectedSplitByCluster(demoMesh(), product, 'cluster1');
    expect(split).toMatchObject({
      mode: 'distribute',
      policy: 'global-svc/product-service in cluster1',
      noHealthyUpstream: false,
      // cluster1's istiod cannot sync cluster3 (MESH012): its endpoints are not in cluster1's EDS.
      unreachable: [
        expect.objectContaining({ cluster: 'cluster3', outcome: 'excluded' }),
      ],
    });
    expect(split!.failing).toBeUndefined();
    expect(rounded(split!.shares)).toEqual({
      cluster1: 77.8,
      cluster2: 22.2,
    });
    // Were it synced, cluster3 would still fail: no route (MESH032); outlier detection ejects it.
    const synced = expectedSplitByCluster(syncedDemo(), product, 'cluster1')!;
    expect(synced.unreachable).toEqual([
      expect.objectContaining({
        cluster: 'cluster3',
        outcome: 'fails',
        ejected: true,
      }),
    ]);
    expect(rounded(synced.shares)).toEqual({
      cluster1: 77.8,
      cluster2: 22.2,
      cluster3: 0,
    });
    const fromCluster2 = expectedSplitByCluster(
      demoMesh(),
      product,
      'cluster2',
    )!;
    // cluster2 does not discover cluster3 (MESH010).
    expect(rounded(fromCluster2.shares)).toEqual({
      cluster1: 77.8,
      cluster2: 22.2,
    });
    expect(fromCluster2.unreachable).toEqual([
      expect.objectContaining({ cluster: 'cluster3', outcome: 'excluded' }),
    ]);
  });

  it('counts the share sent to failing endpoints when nothing ejects them (no outlierDetection)', () => {
    const snapshot = syncedDemo();
    for (const c of snapshot.clusters)
      for (const dr of c.data?.destinationRules ?? [])
        delete (dr.spec.trafficPolicy as Record<string, unknown>)
          .outlierDetection;
    const split = expectedSplitByCluster(snapshot, product, 'cluster1')!;
    expect(rounded(split.shares)).toEqual({
      cluster1: 70,
      cluster2: 20,
      cluster3: 10,
    });
    expect(rounded(split.failing!)).toEqual({ cluster3: 10 });
  });

  it('uses endpoint weights for a client no distribute rule matches, over all its zones', () => {
    // cluster3 is eu-west-1 (two zones): its rule only distributes from us-east-1, so 3/2/2 endpoints decide.
    const split = expectedSplitByCluster(demoMesh(), product, 'cluster3')!;
    expect(rounded(split.shares)).toEqual({
      cluster1: 42.9,
      cluster2: 28.6,
      cluster3: 28.6,
    });
  });

  it('is undefined for an unknown client cluster or a service without endpoints', () => {
    expect(expectedSplitByCluster(demoMesh(), product, 'nowhere')).toBe(
      undefined,
    );
    expect(
      expectedSplitByCluster(
        demoMesh(),
        { namespace: 'global-svc', name: 'missing' },
        'cluster1',
      ),
    ).toBeUndefined();
  });

  it('reports no healthy upstream when every endpoint is down', () => {
    const snapshot = demoMesh();
    for (const c of snapshot.clusters) {
      for (const s of c.data?.services ?? []) {
        if (s.name !== 'product-service') continue;
        s.endpoints = s.endpoints.map(e => ({
          ...e,
          notReady: e.ready + e.notReady,
          ready: 0,
        }));
      }
    }
    expect(expectedSplitByCluster(snapshot, product, 'cluster1')).toMatchObject(
      { noHealthyUpstream: true, shares: {} },
    );
  });
});

describe('clusterLocalities and clusterNameResolver', () => {
  it('lists a cluster’s zones from its nodes', () => {
    expect(clusterLocalities(demoMesh(), 'cluster3')).toEqual([
      { region: 'eu-west-1', zone: 'eu-west-1a' },
      { region: 'eu-west-1', zone: 'eu-west-1b' },
    ]);
    expect(clusterLocalities(demoMesh(), 'nowhere')).toEqual([]);
  });

  it('maps istiod CLUSTER_IDs to Backstage cluster names', () => {
    const snapshot = demoMesh();
    const cluster2 = snapshot.clusters.find(c => c.name === 'cluster2')!;
    cluster2.data!.controlPlanes[0].clusterId = 'Kubernetes-east-b';
    const resolve = clusterNameResolver(snapshot);
    expect(resolve('Kubernetes-east-b')).toBe('cluster2');
    expect(resolve('cluster1')).toBe('cluster1');
    expect(resolve('unknown')).toBe('unknown');
  });
});
