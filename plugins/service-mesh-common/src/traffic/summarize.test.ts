import { demoMesh } from '../testUtils/demoMesh';
import { clusterLocalities, expectedSplitByCluster } from './expectedSplit';
import {
  clusterTrafficEdges,
  serviceTrafficView,
  servicesInTraffic,
} from './summarize';
import { split, testTraffic } from '../testUtils/traffic';

const product = { namespace: 'global-svc', name: 'product-service' };

describe('serviceTrafficView', () => {
  const traffic = testTraffic('5m', [
    {
      service: 'global-svc/product-service',
      source: 'cluster1',
      requests: split(3000, { cluster1: 40, cluster2: 40, cluster3: 20 }),
      errorRatio: { cluster3: 0.05 },
      latency: {
        cluster1: { median: 10, p95: 30 },
        cluster2: { median: 20, p95: 60 },
        cluster3: { median: 20, p95: 60 },
      },
    },
    {
      service: 'global-svc/product-service',
      source: 'cluster3',
      requests: { cluster3: 20 },
    },
    {
      service: 'global-svc/inventory',
      source: 'cluster1',
      requests: { cluster1: 600 },
    },
  ]);

  it('puts actual and expected split side by side per source cluster', () => {
    const snapshot = demoMesh();
    const view = serviceTrafficView(traffic, product, {
      expected: source => expectedSplitByCluster(snapshot, product, source),
      localities: cluster => clusterLocalities(snapshot, cluster),
    });
    expect(view).toMatchObject({
      namespace: 'global-svc',
      name: 'product-service',
      requests: 3020,
      requestsPerSecond: 10.067,
      errorRatio: 0.00993,
      crossCluster: {
        requests: 1800,
        requestsPerSecond: 6,
        errorRatio: 0.01667,
      },
    });
    expect(view.sources).toHaveLength(2);
    expect(view.sources[0]).toEqual({
      cluster: 'cluster1',
      localities: [{ region: 'us-east-1', zone: 'us-east-1a' }],
      requests: 3000,
      requestsPerSecond: 10,
      enoughVolume: true,
      maxDeviation: 37.8,
      expectation: {
        mode: 'distribute',
        policy: 'global-svc/product-service in cluster1',
        // The demo's cluster1 istiod cannot sync cluster3 (MESH012): its endpoints are not in cluster1's EDS.
        unreachable: [
          expect.objectContaining({ cluster: 'cluster3', outcome: 'excluded' }),
        ],
      },
      destinations: [
        {
          cluster: 'cluster1',
          local: true,
          requestsPerSecond: 4,
          actualShare: 40,
          expectedShare: 77.8,
          deviation: -37.8,
          errorRatio: 0,
        },
        {
          cluster: 'cluster2',
          local: false,
          requestsPerSecond: 4,
          actualShare: 40,
          expectedShare: 22.2,
          deviation: 17.8,
          errorRatio: 0,
        },
        {
          cluster: 'cluster3',
          local: false,
          requestsPerSecond: 2,
          actualShare: 20,
          expectedShare: 0,
          deviation: 20,
          errorRatio: 0.05,
        },
      ],
    });
    // cluster3 sent too few requests to compare; destinations it never called still show their expected share.
    expect(view.sources[1]).toMatchObject({
      cluster: 'cluster3',
      enoughVolume: false,
      destinations: [
        { cluster: 'cluster1', actualShare: 0, expectedShare: 42.9 },
        { cluster: 'cluster2', actualShare: 0, expectedShare: 28.6 },
        { cluster: 'cluster3', actualShare: 100, expectedShare: 28.6 },
      ],
    });
    expect(view.latency.local.requests).toBe(1220);
    expect(view.latency.local.p50).toBeGreaterThan(8);
    expect(view.latency.local.p50).toBeLessThan(12);
    expect(view.latency.crossCluster.p95).toBeGreaterThan(
      view.latency.local.p95!,
    );
  });

  it('has no expected shares without an expectation, and empty latency without histograms', () => {
    const view = serviceTrafficView(
      { ...traffic, histograms: [] },
      { namespace: 'global-svc', name: 'inventory' },
    );
    expect(view.sources[0].destinations).toEqual([
      {
        cluster: 'cluster1',
        local: true,
        requestsPerSecond: 2,
        actualShare: 100,
        errorRatio: 0,
      },
    ]);
    expect(view.sources[0].maxDeviation).toBeUndefined();
    expect(view.latency).toEqual({
      local: { requests: 0 },
      crossCluster: { requests: 0 },
    });
  });

  it('lists services and the cluster-to-cluster matrix', () => {
    expect(servicesInTraffic(traffic)).toEqual([
      { namespace: 'global-svc', name: 'inventory' },
      { namespace: 'global-svc', name: 'product-service' },
    ]);
    expect(clusterTrafficEdges(traffic)).toEqual([
      {
        sourceCluster: 'cluster1',
        destinationCluster: 'cluster1',
        requests: 1800,
        requestsPerSecond: 6,
        errorRatio: 0,
      },
      {
        sourceCluster: 'cluster1',
        destinationCluster: 'cluster2',
        requests: 1200,
        requestsPerSecond: 4,
        errorRatio: 0,
      },
      {
        sourceCluster: 'cluster1',
        destinationCluster: 'cluster3',
        requests: 600,
        requestsPerSecond: 2,
        errorRatio: 0.05,
      },
      {
        sourceCluster: 'cluster3',
        destinationCluster: 'cluster3',
        requests: 20,
        requestsPerSecond: 0.067,
        errorRatio: 0,
      },
    ]);
  });
});
