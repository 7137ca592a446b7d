import { demoMesh } from '../../testUtils/demoMesh';
import { split, testTraffic, type TestFlow } from '../../testUtils/traffic';
import { expectFinding } from '../../__testUtils__/findings';
import { analyzeTraffic } from './traffic';

const PRODUCT = 'global-svc/product-service';

/**
 * Traffic that follows the demo's traffic policies (what the simulation predicts): 70/20/10 from us-east-1, but
 * cluster3 is cut off for cluster1 (no route, ejected) and cluster2 (not discovered), so 78/22.
 */
function followsPolicies(): TestFlow[] {
  return [
    {
      service: PRODUCT,
      source: 'cluster1',
      requests: split(12000, { cluster1: 78, cluster2: 22 }),
    },
    {
      service: PRODUCT,
      source: 'cluster2',
      requests: split(6000, { cluster1: 77, cluster2: 23 }),
    },
    {
      service: PRODUCT,
      source: 'cluster3',
      requests: split(3000, { cluster1: 3, cluster2: 2, cluster3: 2 }),
    },
    {
      service: 'global-svc/inventory',
      source: 'cluster3',
      requests: split(2000, { cluster1: 50, cluster2: 50 }),
    },
    {
      service: 'global-svc/inventory',
      source: 'cluster1',
      requests: { cluster1: 5000 },
    },
  ];
}

describe('analyzeTraffic', () => {
  it('finds nothing when traffic follows the traffic policies', () => {
    expect(
      analyzeTraffic(demoMesh(), testTraffic('1h', followsPolicies())),
    ).toEqual([]);
  });

  it('MESH080: traffic from cluster1 ignores the DestinationRule, and the message says what reachability predicts', () => {
    const flows = followsPolicies();
    flows[0] = {
      service: PRODUCT,
      source: 'cluster1',
      requests: split(12000, { cluster1: 34, cluster2: 33, cluster3: 33 }),
    };
    const findings = analyzeTraffic(demoMesh(), testTraffic('1h', flows));
    expect(findings).toHaveLength(1);
    const [f] = expectFinding(findings, 'MESH080');
    expect(f).toMatchObject({
      code: 'MESH080',
      severity: 'warning',
      // cluster2 is off by 13 points only: within the threshold, so not named.
      clusters: ['cluster1', 'cluster3'],
      resource: {
        kind: 'Service',
        namespace: 'global-svc',
        name: 'product-service',
      },
      id: 'MESH080-cluster1-cluster3-service-global-svc-product-service-from-cluster1',
    });
    expect(f.message).toBe(
      "Over the last 1h, 12,000 requests from cluster1 (us-east-1/us-east-1a) to global-svc/product-service went cluster1 34%, cluster2 33%, cluster3 33%; the traffic policies predict cluster1 78%, cluster2 22%, cluster3 0% (distribute, DestinationRule global-svc/product-service in cluster1). Largest difference: cluster1, 44 points. Reachability accounts for the prediction: cluster1's istiod does not discover cluster3, so none should go there (measured 33%, 5xx 0.0%) (istiod cannot sync it, MESH012; no gateway address, MESH032).",
    );
    expect(f.hint).toContain(
      'kubectl -n global-svc get destinationrules -o yaml --context=cluster1',
    );
    expect(f.hint).toContain(
      'grep product-service.global-svc.svc.cluster.local',
    );
  });

  it('stays quiet within the threshold, and below the minimum volume', () => {
    // 63/37 against the predicted 77.8/22.2: 14.8 points off.
    const at = [
      {
        service: PRODUCT,
        source: 'cluster1',
        requests: split(10000, { cluster1: 63, cluster2: 37 }),
      },
    ];
    expect(analyzeTraffic(demoMesh(), testTraffic('5m', at))).toEqual([]);
    const few = [
      {
        service: PRODUCT,
        source: 'cluster1',
        requests: { cluster3: 99 },
      },
    ];
    expect(analyzeTraffic(demoMesh(), testTraffic('5m', few))).toEqual([]);
    expect(
      analyzeTraffic(demoMesh(), testTraffic('5m', few), {
        thresholds: { minRequests: 50 },
      }).map(f => f.code),
    ).toEqual(['MESH080']);
  });

  it('has no expectation for a cluster outside the snapshot', () => {
    const flows = [
      {
        service: PRODUCT,
        source: 'cluster9',
        requests: { cluster3: 5000 },
      },
    ];
    expect(analyzeTraffic(demoMesh(), testTraffic('5m', flows))).toEqual([]);
  });

  it('MESH081: cross-cluster 5xx above 1%', () => {
    const flows = followsPolicies();
    flows[0] = {
      ...flows[0],
      errorRatio: { cluster2: 0.2 },
    };
    const findings = analyzeTraffic(demoMesh(), testTraffic('5m', flows));
    expect(findings.map(f => f.code)).toEqual(['MESH081']);
    expectFinding(findings, 'MESH081');
    expect(findings[0].clusters).toEqual(['cluster1', 'cluster2']);
    expect(findings[0].message).toMatch(
      /^Over the last 5m, calls to global-svc\/product-service across clusters are unhealthy: [\d.]+% of [\d,]+ cross-cluster requests answered 5xx \(threshold 1\.0%\): cluster1 → cluster2 20%\.$/,
    );
    expect(findings[0].hint).toContain('response flags UF, URX, UH');
  });

  it('MESH081: cross-cluster p95 above 3× the local p95', () => {
    const slow = { median: 80, p95: 200 };
    const fast = { median: 10, p95: 30 };
    const flows = followsPolicies();
    flows[0] = {
      ...flows[0],
      latency: { cluster1: fast, cluster2: slow, cluster3: slow },
    };
    flows[1] = {
      ...flows[1],
      latency: { cluster2: fast, cluster1: slow, cluster3: slow },
    };
    const findings = analyzeTraffic(demoMesh(), testTraffic('24h', flows));
    expect(findings.map(f => f.code)).toEqual(['MESH081']);
    expect(findings[0].message).toMatch(
      /cross-cluster p95 latency is \d+ ms, \d+\.\d× the local p95 of \d+ ms \(threshold 3×\)/,
    );
  });

  it('never throws on malformed traffic', () => {
    expect(
      analyzeTraffic(demoMesh(), {
        window: '5m',
        measuredAt: 'x',
        edges: [{ bogus: true } as any, null as any],
        histograms: [undefined as any],
      }),
    ).toEqual([]);
    expect(analyzeTraffic(demoMesh(), {} as any)).toEqual([]);
  });
});
