import { simulateLocality } from '../locality/simulate';
import { demoMesh } from '../testUtils/demoMesh';
import { NOW } from '../__testUtils__/fixtures';
import { analyzeMesh } from './analyzeMesh';
import { findingsForEntity } from './entityFindings';
import { buildSimulationInput } from './simulationInput';
import { meshReachability, pairOf } from './reachability/model';

const product = { namespace: 'global-svc', name: 'product-service' };

function formatClient(c: {
  cluster?: string;
  locality: { region: string; zone: string };
}) {
  return `${c.cluster} ${c.locality.region}/${c.locality.zone}`;
}

function perCluster(shares: Array<{ cluster: string; share: number }>) {
  const out: Record<string, number> = {};
  for (const s of shares) out[s.cluster] = (out[s.cluster] ?? 0) + s.share;
  return out;
}

describe('the demo mesh shape', () => {
  const findings = analyzeMesh(demoMesh(), { now: NOW });

  it('yields exactly the deliberate problems of the kube-sim demo', () => {
    expect(
      findings.map(f => [f.code, f.severity, f.clusters, f.resource?.name]),
    ).toEqual([
      [
        'MESH010',
        'error',
        ['cluster2', 'cluster3'],
        'istio-remote-secret-cluster3',
      ],
      [
        'MESH012',
        'error',
        ['cluster1', 'cluster3'],
        'istio-remote-secret-cluster3',
      ],
      ['MESH032', 'error', ['cluster3'], 'istio-eastwestgateway'],
      ['MESH001', 'warning', ['cluster3'], 'cluster3'],
      ['MESH015', 'warning', ['cluster1'], 'global-svc'],
      [
        'MESH052',
        'warning',
        ['cluster1', 'cluster2', 'cluster3'],
        'product-service',
      ],
      ['MESH062', 'warning', ['cluster3'], 'payments'],
      ['MESH063', 'warning', ['cluster2'], 'product-service'],
    ]);
    expect(findings.find(f => f.code === 'MESH052')!.message).toContain(
      'cluster1 and cluster2 agree; cluster3 differs at spec.trafficPolicy.loadBalancer.localityLbSetting.distribute',
    );
  });

  it('gives the product-service entity its findings, and the mesh-wide ones of its clusters', () => {
    const entity = findingsForEntity(findings, {
      namespaces: ['global-svc'],
      services: [product],
      clusters: ['cluster1', 'cluster2', 'cluster3'],
    });
    expect(entity.map(f => f.code)).toEqual([
      'MESH010',
      'MESH012',
      'MESH032',
      'MESH001',
      'MESH015',
      'MESH052',
      'MESH063',
    ]);
  });

  it('predicts 0% to cluster3 from cluster1 (its istiod cannot sync it: MESH012) and cluster2 (no secret: MESH010)', () => {
    const eastSplit = [
      {
        cluster: 'cluster1',
        region: 'us-east-1',
        zone: 'us-east-1a',
        priority: 0,
        share: 77.7778,
      },
      {
        cluster: 'cluster2',
        region: 'us-east-1',
        zone: 'us-east-1b',
        priority: 0,
        share: 22.2222,
      },
    ];
    const fromCluster1 = simulateLocality(
      buildSimulationInput(demoMesh(), product, 'cluster1'),
    );
    expect(fromCluster1.mode).toBe('distribute');
    expect(fromCluster1.clients).toHaveLength(1);
    const [c1] = fromCluster1.clients;
    // The secret exists, but cluster1's istiod reports cluster3 as `timeout`: its endpoints are not in EDS.
    expect(c1.shares).toEqual(eastSplit);
    expect(c1.failingShare).toBeUndefined();
    expect(c1.unreachable).toEqual([
      {
        cluster: 'cluster3',
        outcome: 'excluded',
        reasons: [
          expect.objectContaining({
            code: 'MESH012',
            summary: 'istiod cannot sync it',
          }),
          // The route is missing too (cluster3's gateway has no address): named after the deciding reason.
          expect.objectContaining({
            code: 'MESH032',
            summary: 'no gateway address',
          }),
        ],
      },
    ]);

    const fromCluster2 = simulateLocality(
      buildSimulationInput(demoMesh(), product, 'cluster2'),
    );
    const [c2] = fromCluster2.clients;
    // Not in cluster2's load-balancing set at all: the eu-west-1 weight has no locality to go to.
    expect(c2.shares).toEqual(eastSplit);
    expect(c2.unreachable).toEqual([
      expect.objectContaining({
        cluster: 'cluster3',
        outcome: 'excluded',
        reasons: [
          expect.objectContaining({ code: 'MESH010' }),
          expect.objectContaining({ code: 'MESH032' }),
        ],
      }),
    ]);
    expect(fromCluster2.notes.join(' ')).toContain(
      "Clients in cluster2 do not see cluster3's endpoints",
    );

    const fromCluster3 = simulateLocality(
      buildSimulationInput(demoMesh(), product, 'cluster3'),
    );
    expect(fromCluster3.clients.length).toBeGreaterThan(0);
    for (const client of fromCluster3.clients) {
      const split = perCluster(client.shares);
      expect(split.cluster1).toBeCloseTo(300 / 7, 2);
      expect(split.cluster2).toBeCloseTo(200 / 7, 2);
      expect(split.cluster3).toBeCloseTo(200 / 7, 2);
    }
    expect(fromCluster3.notes.join(' ')).toContain(
      'matches no distribute `from`',
    );
  });

  it('payments: trafficDistribution PreferClose keeps each caller on its own network and zone, with no finding', () => {
    const payments = { namespace: 'payments', name: 'payments' };
    const input = buildSimulationInput(demoMesh(), payments, 'cluster1');
    // The namespace-local DestinationRule (outlierDetection only) shadows the root namespace's `global` rule,
    // so GetEffectiveLbSetting falls through to the Service's traffic distribution.
    expect(input.trafficDistribution).toBe('PreferSameZone');
    expect(input.policy?.source?.name).toBe('payments');
    const result = simulateLocality(input);
    expect(result.mode).toBe('failoverPriority');
    expect(
      result.clients.map(c => [formatClient(c.client), perCluster(c.shares)]),
    ).toEqual([
      ['cluster1 us-east-1/us-east-1a', { cluster1: 100, cluster2: 0 }],
    ]);
    // Without it, the two clusters' pods would share the requests by host count.
    const plain = simulateLocality({
      ...input,
      trafficDistribution: undefined,
      policy: undefined,
    });
    expect(perCluster(plain.clients[0].shares).cluster2).toBeGreaterThan(0);
    expect(
      findings
        .filter(
          f =>
            f.resource?.namespace === 'payments' ||
            f.resource?.name === 'payments',
        )
        .map(f => f.code),
    ).toEqual(['MESH062']);
  });
});

describe("the demo's NodePort east-west gateway (cluster2)", () => {
  // pilot/pkg/serviceregistry/kube/controller/network.go updateServiceNodePortAddresses and extractGatewaysInner:
  // one network gateway per ExternalIP of a node the traffic.istio.io/nodeSelector selects, on the node port.
  it('is published on the ExternalIPs of its two selected nodes, on the node port of 15443, with no finding', () => {
    const mesh = demoMesh();
    const gw = mesh.clusters.find(c => c.name === 'cluster2')!.data!
      .eastWestGateways[0];
    expect([gw.serviceType, gw.addresses, gw.nodeSelector]).toEqual([
      'NodePort',
      [],
      { 'node.example.com/eastwest-gateway': 'true' },
    ]);
    const network2 = meshReachability(mesh).networks.find(
      n => n.network === 'network2',
    )!;
    expect(
      network2.gateways.map(g => [g.addresses, g.port, g.published]),
    ).toEqual([[['192.0.2.21', '192.0.2.22'], 31443, true]]);
    const findings = analyzeMesh(mesh, { now: NOW });
    expect(
      findings.filter(
        f => f.clusters.includes('cluster2') && /^MESH03[0-5]$/.test(f.code),
      ),
    ).toEqual([]);
  });

  it('leaves cluster2 reachable from every cluster that discovers it', () => {
    const matrix = meshReachability(demoMesh());
    expect(
      ['cluster1', 'cluster2', 'cluster3'].map(from => {
        const p = pairOf(matrix, from, 'cluster2')!;
        return [from, p.outcome, p.routable.state, p.routable.via];
      }),
    ).toEqual([
      ['cluster1', 'reachable', 'yes', 'gateway'],
      ['cluster2', 'reachable', 'yes', 'local'],
      ['cluster3', 'reachable', 'yes', 'gateway'],
    ]);
  });
});
