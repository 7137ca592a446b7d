/*
 * The demo traffic is the reachability-aware prediction over the demo mesh (the snapshot fixture generated from
 * the kube-sim demo scenario: src/__integration__/demoFixtures.integration.test.ts keeps it current), and it
 * sends nothing where the mesh cannot.
 */
import { meshReachability, pairOf } from '@internal/plugin-service-mesh-common';
import { demoMesh } from '@internal/plugin-service-mesh-common/testUtils';
import { demoTraffic, demoTrafficIgnoringDestinationRule } from './demoTraffic';
import type { TrafficFlowSpec } from './trafficGenerator';

function rounded(flows: TrafficFlowSpec[]) {
  return flows.map(f => ({
    ...f,
    split: Object.fromEntries(
      Object.entries(f.split).map(([k, v]) => [k, Math.round(v * 10) / 10]),
    ),
  }));
}

describe('demo traffic', () => {
  it('sends nothing where the mesh cannot: cluster3 gets no product-service calls from cluster1 or cluster2', () => {
    const matrix = meshReachability(demoMesh());
    for (const flow of [
      ...demoTraffic(),
      ...demoTrafficIgnoringDestinationRule(),
    ]) {
      for (const destination of Object.keys(flow.split)) {
        const pair = pairOf(matrix, flow.sourceCluster, destination)!;
        // Excluded: never sent. Failing: sent only where nothing ejects it, and then it always fails.
        expect(pair.outcome === 'excluded').toBe(false);
        const errorRatio = (flow.errorRatio as Record<string, number>)[
          destination
        ];
        expect(pair.outcome === 'fails' ? errorRatio : 'not failing').toBe(
          pair.outcome === 'fails' ? 1 : 'not failing',
        );
      }
    }
    const product = demoTraffic().filter(f => f.service === 'product-service');
    expect(product.map(f => [f.sourceCluster, rounded([f])[0].split])).toEqual([
      ['cluster1', { cluster1: 77.8, cluster2: 22.2 }],
      ['cluster2', { cluster1: 77.8, cluster2: 22.2 }],
      ['cluster3', { cluster1: 42.9, cluster2: 28.6, cluster3: 28.6 }],
    ]);
  });

  it('spreads round robin, 3/2, from cluster1 without the DestinationRule (cluster3 is not discovered there)', () => {
    const ignoring = demoTrafficIgnoringDestinationRule().find(
      f => f.service === 'product-service' && f.sourceCluster === 'cluster1',
    )!;
    expect(rounded([ignoring])[0].split).toEqual({
      cluster1: 60,
      cluster2: 40,
    });
  });
});
