import type { ClusterMeshData } from '../../types/snapshot';
import { editAll, healthyMesh } from '../../__testUtils__/fixtures';
import {
  codesOf,
  findingsOf,
  firingFindings,
} from '../../__testUtils__/findings';

function withLocalityLb(
  setting: Record<string, unknown>,
  outlierDetection?: Record<string, unknown>,
) {
  return editAll(healthyMesh(), (d: ClusterMeshData) => {
    const tp = d.destinationRules[0].spec.trafficPolicy as Record<
      string,
      unknown
    >;
    tp.loadBalancer = { localityLbSetting: setting };
    if (outlierDetection) tp.outlierDetection = outlierDetection;
    else delete tp.outlierDetection;
  });
}

const OD = {
  consecutive5xxErrors: 1,
  interval: '10s',
  baseEjectionTime: '600s',
  maxEjectionPercent: 100,
};

describe('MESH040 node labels', () => {
  it('warns about nodes without region/zone, naming them', () => {
    const snapshot = editAll(healthyMesh(), (d, c) => {
      if (c.name !== 'cluster2') return;
      d.nodes = {
        total: 4,
        byLocality: [{ region: 'region2', zone: 'zone2', nodes: 3 }],
        unlabelled: ['node-4'],
        unlabelledCount: 1,
      };
    });
    const [f] = firingFindings(snapshot, 'MESH040');
    expect(f.message).toContain('1 of 4 nodes in cluster2 lacks');
    expect(f.hint).toBe(
      'kubectl label nodes node-4 topology.kubernetes.io/region=<region> topology.kubernetes.io/zone=<zone> --context=cluster2',
    );
  });

  it('does not fire when every node is labelled', () => {
    expect(findingsOf(healthyMesh(), 'MESH040')).toEqual([]);
  });
});

describe('MESH041 distribute weights', () => {
  it('errors when weights do not sum to 100, one finding for every cluster holding the rule', () => {
    const snapshot = withLocalityLb(
      {
        distribute: [
          { from: 'region1/*', to: { 'region1/*': 70, 'region2/*': 20 } },
        ],
      },
      OD,
    );
    const findings = firingFindings(snapshot, 'MESH041');
    expect(findings).toHaveLength(1);
    expect(findings[0].clusters).toEqual(['cluster1', 'cluster2', 'cluster3']);
    expect(findings[0].message).toContain('weights sum to 90, not 100');
    expect(findings[0].hint).toContain('"region1/*": 78, "region2/*": 22');
  });

  it('errors on a weight outside 1–100', () => {
    const snapshot = withLocalityLb({
      distribute: [
        { from: 'region1/*', to: { 'region1/*': 100, 'region2/*': 0 } },
      ],
    });
    expect(findingsOf(snapshot, 'MESH041')[0].message).toContain(
      'weight of "region2/*" is 0',
    );
  });

  it('accepts the demo 70/20/10 rule', () => {
    const snapshot = withLocalityLb(
      {
        enabled: true,
        distribute: [
          {
            from: 'region1/*',
            to: { 'region1/*': 70, 'region2/*': 20, 'region3/*': 10 },
          },
        ],
      },
      OD,
    );
    expect(codesOf(snapshot)).toEqual([]);
  });
});

describe('MESH042 unknown locality', () => {
  it('warns about a locality no cluster has', () => {
    const snapshot = withLocalityLb(
      { failover: [{ from: 'region1', to: 'us-west-2' }] },
      OD,
    );
    const [f] = firingFindings(snapshot, 'MESH042');
    expect(f.message).toContain('failover to "us-west-2"');
  });

  it('accepts region/zone/* keys that exist (us-east-1/us-east-1a/*)', () => {
    let snapshot = withLocalityLb(
      {
        distribute: [
          {
            from: 'us-east-1/us-east-1a/*',
            to: { 'us-east-1/us-east-1a/*': 80, 'eu-west-1/*': 20 },
          },
        ],
      },
      OD,
    );
    snapshot = editAll(snapshot, (d, c) => {
      const [region, zone] =
        c.name === 'cluster3'
          ? ['eu-west-1', 'eu-west-1a']
          : ['us-east-1', 'us-east-1a'];
      d.nodes.byLocality = [{ region, zone, nodes: 3 }];
      d.services[0].endpoints[0].locality = { region, zone };
      d.workloads[0].localities = [{ region, zone, pods: 2 }];
    });
    expect(findingsOf(snapshot, 'MESH042')).toEqual([]);
  });
});

describe('MESH043 failover without outlierDetection', () => {
  it('warns when failover is set without outlierDetection', () => {
    const snapshot = withLocalityLb({
      failover: [{ from: 'region1', to: 'region2' }],
    });
    const [f] = firingFindings(snapshot, 'MESH043');
    expect(f.severity).toBe('warning');
    expect(f.hint).toContain('maxEjectionPercent: 100');
  });

  it('does not fire on a distribute rule without outlierDetection, nor with outlierDetection', () => {
    expect(
      findingsOf(
        withLocalityLb({
          distribute: [{ from: 'region1/*', to: { 'region1/*': 100 } }],
        }),
        'MESH043',
      ),
    ).toEqual([]);
    expect(findingsOf(healthyMesh(), 'MESH043')).toEqual([]);
  });
});

describe('MESH044 distribute and failover', () => {
  it('errors when both are set', () => {
    const snapshot = withLocalityLb(
      {
        distribute: [{ from: 'region1/*', to: { 'region1/*': 100 } }],
        failover: [{ from: 'region1', to: 'region2' }],
      },
      OD,
    );
    expect(firingFindings(snapshot, 'MESH044')).toHaveLength(1);
    expect(findingsOf(snapshot, 'MESH045')).toEqual([]);
  });

  it('does not fire with failoverPriority alone', () => {
    const snapshot = withLocalityLb(
      { failoverPriority: ['topology.kubernetes.io/region'] },
      OD,
    );
    expect(codesOf(snapshot)).toEqual([]);
  });
});

describe('MESH045 maxEjectionPercent', () => {
  it('warns when failover is limited by maxEjectionPercent (default 10)', () => {
    const unset = withLocalityLb(
      { failover: [{ from: 'region1', to: 'region2' }] },
      { consecutive5xxErrors: 1 },
    );
    expect(firingFindings(unset, 'MESH045')[0].message).toContain(
      'unset (Envoy default 10%)',
    );
    const fifty = withLocalityLb(
      { failover: [{ from: 'region1', to: 'region2' }] },
      { ...OD, maxEjectionPercent: 50 },
    );
    expect(findingsOf(fifty, 'MESH045')[0].message).toContain('is 50%');
  });

  it('does not fire with maxEjectionPercent 100, nor for distribute (seed 003 uses 50)', () => {
    expect(findingsOf(healthyMesh(), 'MESH045')).toEqual([]);
    const distribute = withLocalityLb(
      {
        distribute: [
          { from: 'region1/*', to: { 'region1/*': 80, 'region2/*': 20 } },
        ],
      },
      { ...OD, maxEjectionPercent: 50 },
    );
    expect(findingsOf(distribute, 'MESH045')).toEqual([]);
  });
});
