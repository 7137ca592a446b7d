import { simulateLocality } from './simulate';
import type {
  SimEndpointGroup,
  SimulationInput,
  SimTrafficPolicy,
} from './types';

const c1: SimEndpointGroup = {
  cluster: 'c1',
  locality: { region: 'r1', zone: 'z1' },
  healthy: 2,
  unhealthy: 0,
};
const c2: SimEndpointGroup = {
  cluster: 'c2',
  locality: { region: 'r2', zone: 'z3' },
  healthy: 3,
  unhealthy: 0,
};
const client = { cluster: 'c1', locality: { region: 'r1', zone: 'z1' } };
const outlierDetection = { consecutive5xxErrors: 1, maxEjectionPercent: 100 };

/** cluster → share for the single client. */
function split(input: SimulationInput): Record<string, number> {
  const result = simulateLocality({ clients: [client], ...input });
  const out: Record<string, number> = {};
  for (const s of result.clients[0].shares)
    out[s.cluster] = (out[s.cluster] ?? 0) + s.share;
  return out;
}

// Worked examples, computed by hand from Envoy's priority and locality-weight rules (loadbalancer.go programs them):
// a client in c1 r1/z1, 2 pods in c1 r1/z1 and 3 in c2 r2/z3.
describe('simulateLocality: worked examples', () => {
  it('no DestinationRule: per-host round robin, 40/60', () => {
    const result = simulateLocality({ endpoints: [c1, c2], clients: [client] });
    expect(result.mode).toBe('none');
    expect(split({ endpoints: [c1, c2] })).toEqual({ c1: 40, c2: 60 });
  });

  it('outlierDetection only: default failover keeps 100/0', () => {
    const policy: SimTrafficPolicy = { outlierDetection };
    expect(simulateLocality({ endpoints: [c1, c2], policy }).mode).toBe(
      'failover',
    );
    expect(split({ endpoints: [c1, c2], policy })).toEqual({ c1: 100, c2: 0 });
  });

  it('outlierDetection, one of two local pods unhealthy: 70/30', () => {
    const policy: SimTrafficPolicy = { outlierDetection };
    expect(
      split({ endpoints: [{ ...c1, healthy: 1, unhealthy: 1 }, c2], policy }),
    ).toEqual({ c1: 70, c2: 30 });
  });

  it('distribute 80/20, then 73.7/26.3 with one local pod unhealthy, 0/100 with both', () => {
    const policy: SimTrafficPolicy = {
      localityLbSetting: {
        distribute: [{ from: 'r1/z1/*', to: { 'r1/z1/*': 80, 'r2/*': 20 } }],
      },
    };
    expect(split({ endpoints: [c1, c2], policy })).toEqual({ c1: 80, c2: 20 });
    const degraded = split({
      endpoints: [{ ...c1, healthy: 1, unhealthy: 1 }, c2],
      policy,
    });
    expect(degraded.c1).toBeCloseTo(73.6842, 3);
    expect(degraded.c2).toBeCloseTo(26.3158, 3);
    expect(
      split({ endpoints: [{ ...c1, healthy: 0, unhealthy: 2 }, c2], policy }),
    ).toEqual({
      c1: 0,
      c2: 100,
    });
  });

  it('distribute without c2 in `to`: c1 down means no healthy upstream', () => {
    const policy: SimTrafficPolicy = {
      localityLbSetting: {
        distribute: [{ from: 'r1/*', to: { 'r1/*': 100 } }],
      },
    };
    const result = simulateLocality({
      endpoints: [{ ...c1, healthy: 0, unhealthy: 2 }, c2],
      clients: [client],
      policy,
    });
    expect(result.clients[0].noHealthyUpstream).toBe(true);
    expect(result.clients[0].shares.every(s => s.share === 0)).toBe(true);
  });
});

/** Three clusters, one endpoint per region, under rules shaped like the demo scenario's (packages/kube-sim/scenarios/demo). */
const guideEndpoints: SimEndpointGroup[] = [
  'region1',
  'region2',
  'region3',
].map((region, i) => ({
  cluster: `cluster${i + 1}`,
  locality: { region, zone: `${region}-a` },
  healthy: 1,
  unhealthy: 0,
}));
const region1Client = {
  cluster: 'cluster1',
  locality: { region: 'region1', zone: 'region1-a' },
};
const guideOutlier = {
  baseEjectionTime: '600s',
  consecutive5xxErrors: 1,
  interval: '10s',
  maxEjectionPercent: 100,
};

function byRegion(input: SimulationInput): Record<string, number> {
  const result = simulateLocality({ clients: [region1Client], ...input });
  const out: Record<string, number> = {};
  for (const s of result.clients[0].shares)
    out[s.region] = (out[s.region] ?? 0) + s.share;
  return out;
}

describe('simulateLocality: cluster-wide failover and weighted distribution', () => {
  const failover: SimTrafficPolicy = {
    localityLbSetting: {
      enabled: true,
      failover: [{ from: 'region1', to: 'region2' }],
    },
    outlierDetection: guideOutlier,
  };

  it('failover region1→region2: priorities 0/1/2, 100% region1', () => {
    const result = simulateLocality({
      endpoints: guideEndpoints,
      policy: failover,
      clients: [region1Client],
    });
    expect(result.mode).toBe('failover');
    expect(
      result.clients[0].shares.map(s => [s.region, s.priority, s.share]),
    ).toEqual([
      ['region1', 0, 100],
      ['region2', 1, 0],
      ['region3', 2, 0],
    ]);
  });

  it('region1 failed: region2 takes 100%, region3 0', () => {
    expect(
      byRegion({
        endpoints: guideEndpoints,
        policy: failover,
        failed: [{ region: 'region1' }],
      }),
    ).toEqual({
      region1: 0,
      region2: 100,
      region3: 0,
    });
  });

  it('region1 and region2 failed: region3 takes 100%', () => {
    expect(
      byRegion({
        endpoints: guideEndpoints,
        policy: failover,
        failed: [{ region: 'region1' }, { region: 'region2' }],
      }),
    ).toEqual({ region1: 0, region2: 0, region3: 100 });
  });

  it('everything failed: no healthy upstream', () => {
    const result = simulateLocality({
      endpoints: guideEndpoints,
      policy: failover,
      clients: [region1Client],
      failed: ['region1', 'region2', 'region3'].map(region => ({ region })),
    });
    expect(result.clients[0].noHealthyUpstream).toBe(true);
    expect(result.clients[0].shares.map(s => s.share)).toEqual([0, 0, 0]);
    expect(result.notes.join(' ')).toContain('no healthy upstream');
  });

  const distribute: SimTrafficPolicy = {
    localityLbSetting: {
      enabled: true,
      distribute: [
        {
          from: 'region1/*',
          to: { 'region1/*': 70, 'region2/*': 20, 'region3/*': 10 },
        },
      ],
    },
    outlierDetection: guideOutlier,
  };

  it('distribute 70/20/10 from region1', () => {
    expect(byRegion({ endpoints: guideEndpoints, policy: distribute })).toEqual(
      {
        region1: 70,
        region2: 20,
        region3: 10,
      },
    );
  });

  it('distribute with region2 failed: its 20 is redistributed proportionally, 87.5/0/12.5', () => {
    expect(
      byRegion({
        endpoints: guideEndpoints,
        policy: distribute,
        failed: [{ region: 'region2' }],
      }),
    ).toEqual({
      region1: 87.5,
      region2: 0,
      region3: 12.5,
    });
  });

  it('a zone failure only fails that zone', () => {
    const endpoints = [
      ...guideEndpoints,
      {
        ...guideEndpoints[0],
        cluster: 'cluster1',
        locality: { region: 'region1', zone: 'region1-b' },
      },
    ];
    const result = simulateLocality({
      endpoints,
      policy: failover,
      clients: [region1Client],
      failed: [{ region: 'region1', zone: 'region1-a' }],
    });
    expect(
      result.clients[0].shares
        .filter(s => s.share > 0)
        .map(s => [s.zone, s.share]),
    ).toEqual([['region1-b', 100]]);
  });
});

describe('simulateLocality: Envoy priority math', () => {
  const od: SimTrafficPolicy = {
    outlierDetection: { maxEjectionPercent: 100 },
  };
  const groups = (
    p0: [number, number],
    p1: [number, number],
    p2?: [number, number],
  ): SimEndpointGroup[] => [
    {
      cluster: 'a',
      locality: { region: 'r1', zone: 'z1' },
      healthy: p0[0],
      unhealthy: p0[1],
    },
    {
      cluster: 'b',
      locality: { region: 'r1', zone: 'z2' },
      healthy: p1[0],
      unhealthy: p1[1],
    },
    ...(p2
      ? [
          {
            cluster: 'c',
            locality: { region: 'r2', zone: 'z3' },
            healthy: p2[0],
            unhealthy: p2[1],
          },
        ]
      : []),
  ];
  const shares = (endpoints: SimEndpointGroup[]) =>
    simulateLocality({
      endpoints,
      policy: od,
      clients: [{ locality: { region: 'r1', zone: 'z1' } }],
    }).clients[0].shares.map(s => s.share);

  it('keeps P0 at 100% while ≥ 1/1.4 of its hosts are healthy', () => {
    expect(shares(groups([3, 1], [4, 0]))).toEqual([100, 0]); // health 105 → 100
    expect(shares(groups([7, 3], [4, 0]))).toEqual([98, 2]); // health 98
  });

  it('P0 25% and P1 25% healthy: NTH 70, 50/50', () => {
    expect(shares(groups([1, 3], [1, 3]))).toEqual([50, 50]);
  });

  it('three levels {25%, 25%, 20%} healthy: health 35/35/28, NTH 98', () => {
    // Envoy's docs round this to 36/36/28; its code (integer load = health × 100 / NTH, the rounding leftover
    // to the first healthy level) gives 37/35/28, which is what the simulator reproduces.
    expect(shares(groups([1, 3], [1, 3], [1, 4]))).toEqual([37, 35, 28]);
  });
});

describe('simulateLocality: settings', () => {
  const endpoints = [c1, c2];

  it('no outlierDetection: failover ignored, plain round robin, noted', () => {
    const result = simulateLocality({
      endpoints,
      clients: [client],
      policy: { localityLbSetting: { failover: [{ from: 'r1', to: 'r2' }] } },
    });
    expect(result.mode).toBe('none');
    expect(result.notes[0]).toMatch(
      /^failover is ignored: no outlierDetection/,
    );
    expect(result.clients[0].shares.map(s => s.share)).toEqual([60, 40]);
  });

  it('locality LB disabled by the DestinationRule or mesh-wide', () => {
    const off = simulateLocality({
      endpoints,
      clients: [client],
      policy: { localityLbSetting: { enabled: false }, outlierDetection },
    });
    expect(off.mode).toBe('none');
    expect(off.notes[0]).toContain('disabled by the DestinationRule');
    const meshOff = simulateLocality({
      endpoints,
      clients: [client],
      policy: { outlierDetection },
      meshLocalityLbEnabled: false,
    });
    expect(meshOff.mode).toBe('none');
    expect(perClusterShares(meshOff)).toEqual({ c1: 40, c2: 60 });
  });

  it('notes maxEjectionPercent below 100 with failover', () => {
    const result = simulateLocality({
      endpoints,
      clients: [client],
      policy: { outlierDetection: { maxEjectionPercent: 10 } },
    });
    expect(result.notes.join(' ')).toContain('maxEjectionPercent is 10%');
  });

  it('failover without a matching `to` region ranks other regions last', () => {
    const three = [
      ...endpoints,
      {
        cluster: 'c3',
        locality: { region: 'r3', zone: 'z9' },
        healthy: 1,
        unhealthy: 0,
      },
    ];
    const result = simulateLocality({
      endpoints: three,
      clients: [client],
      policy: {
        localityLbSetting: { failover: [{ from: 'r1', to: 'r3' }] },
        outlierDetection,
      },
    });
    expect(result.clients[0].shares.map(s => [s.cluster, s.priority])).toEqual([
      ['c1', 0],
      ['c3', 1],
      ['c2', 2],
    ]);
  });

  it('failoverPriority [network, region, zone]: the network case of applyFailoverPriorityPerLocality (gateway endpoints ranked by network only)', () => {
    const ep = (
      cluster: string,
      network: string,
      region: string,
      zone: string,
    ): SimEndpointGroup => ({
      cluster,
      network,
      locality: { region, zone },
      healthy: 1,
      unhealthy: 0,
    });
    const result = simulateLocality({
      endpoints: [
        ep('a', 'n1', 'r1', 'z1'),
        ep('b', 'n1', 'r1', 'z2'),
        ep('c', 'n1', 'r2', 'z3'),
        ep('d', 'n2', 'r1', 'z1'),
        ep('e', 'n2', 'r2', 'z4'),
      ],
      clients: [
        { cluster: 'a', network: 'n1', locality: { region: 'r1', zone: 'z1' } },
      ],
      policy: {
        localityLbSetting: {
          failoverPriority: [
            'topology.istio.io/network',
            'topology.kubernetes.io/region',
            'topology.kubernetes.io/zone',
          ],
        },
        outlierDetection,
      },
    });
    expect(result.mode).toBe('failoverPriority');
    // Raw priorities a=0, b=1, c=2, and d=e=3+2=5 (gateway endpoints carry no region/zone): compacted 0,1,2,3.
    expect(result.clients[0].shares.map(s => [s.cluster, s.priority])).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 2],
      ['d', 3],
      ['e', 3],
    ]);
  });

  it('failoverPriority with a cluster label and an override', () => {
    const result = simulateLocality({
      endpoints: [c1, c2],
      clients: [client],
      policy: {
        localityLbSetting: {
          failoverPriority: ['topology.istio.io/cluster=c2'],
        },
        outlierDetection,
      },
    });
    expect(
      result.clients[0].shares.map(s => [s.cluster, s.priority, s.share]),
    ).toEqual([
      ['c2', 0, 100],
      ['c1', 1, 0],
    ]);
  });

  it('aggregates subzones per (cluster, region, zone)', () => {
    const result = simulateLocality({
      endpoints: [
        {
          cluster: 'c1',
          locality: { region: 'r1', zone: 'z1', subzone: 's1' },
          healthy: 1,
          unhealthy: 0,
        },
        {
          cluster: 'c1',
          locality: { region: 'r1', zone: 'z1', subzone: 's2' },
          healthy: 1,
          unhealthy: 0,
        },
      ],
    });
    expect(result.clients).toHaveLength(2);
    expect(result.clients[0].shares).toEqual([
      { cluster: 'c1', region: 'r1', zone: 'z1', priority: 0, share: 100 },
    ]);
  });

  it('never throws on malformed input', () => {
    for (const bad of [
      null,
      undefined,
      3,
      'x',
      [],
      { endpoints: 'x' },
      { endpoints: [null, { healthy: -1 }], policy: 5, clients: [{}] },
    ]) {
      expect(() => simulateLocality(bad as any)).not.toThrow();
    }
    expect(simulateLocality({} as any)).toEqual({
      mode: 'none',
      notes: [expect.any(String)],
      clients: [],
    });
  });
});

function perClusterShares(
  result: ReturnType<typeof simulateLocality>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of result.clients[0].shares)
    out[s.cluster] = (out[s.cluster] ?? 0) + s.share;
  return out;
}
