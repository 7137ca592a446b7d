import fc from 'fast-check';
import { simulateLocality } from './simulate';
import {
  resolveTrafficDistribution,
  trafficDistributionPriority,
} from './trafficDistribution';
import type { SimEndpointGroup, SimulationInput } from './types';

// Istio pilot/pkg/model/service_test.go TestGetTrafficDistribution, case by case (spec, service, namespace).
describe('resolveTrafficDistribution (GetTrafficDistribution)', () => {
  it.each([
    [
      'spec value takes precedence',
      'PreferClose',
      'PreferSameNode',
      'Any',
      'PreferSameZone',
    ],
    [
      'service annotation takes precedence over namespace',
      undefined,
      'PreferSameNode',
      'PreferClose',
      'PreferSameNode',
    ],
    [
      'namespace annotation used when service has none',
      undefined,
      undefined,
      'PreferClose',
      'PreferSameZone',
    ],
    [
      'namespace annotation with PreferSameNode',
      undefined,
      undefined,
      'PreferSameNode',
      'PreferSameNode',
    ],
    [
      'defaults to Any when nothing set',
      undefined,
      undefined,
      undefined,
      undefined,
    ],
    [
      'case insensitive namespace annotation',
      undefined,
      undefined,
      'preferclose',
      'PreferSameZone',
    ],
  ])('%s', (_name, spec, svc, ns, want) => {
    expect(resolveTrafficDistribution(spec, svc, ns)).toBe(want);
  });

  it('reads the newer spec values, and an unknown spec value falls through to the annotations', () => {
    expect(
      resolveTrafficDistribution('PreferSameZone', undefined, undefined),
    ).toBe('PreferSameZone');
    expect(
      resolveTrafficDistribution('PreferSameNode', undefined, undefined),
    ).toBe('PreferSameNode');
    // corev1 constants are compared exactly: a lower-case spec value is not a known value.
    expect(
      resolveTrafficDistribution('preferclose', undefined, undefined),
    ).toBeUndefined();
    expect(
      resolveTrafficDistribution('Future', 'PreferSameNode', undefined),
    ).toBe('PreferSameNode');
  });

  it('an unknown service annotation means Any and hides the namespace annotation', () => {
    expect(
      resolveTrafficDistribution(undefined, 'Nearby', 'PreferClose'),
    ).toBeUndefined();
  });
});

describe('trafficDistributionPriority (GetEffectiveLbSetting)', () => {
  it('PreferSameZone: network, region, zone; PreferSameNode adds subzone and hostname', () => {
    expect(trafficDistributionPriority('PreferSameZone')).toEqual([
      'topology.istio.io/network',
      'topology.kubernetes.io/region',
      'topology.kubernetes.io/zone',
    ]);
    expect(trafficDistributionPriority('PreferSameNode')).toEqual([
      'topology.istio.io/network',
      'topology.kubernetes.io/region',
      'topology.kubernetes.io/zone',
      'topology.istio.io/subzone',
      'kubernetes.io/hostname',
    ]);
  });
});

const group = (
  cluster: string,
  region: string,
  zone: string,
  healthy: number,
  unhealthy = 0,
): SimEndpointGroup => ({
  cluster,
  locality: { region, zone },
  healthy,
  unhealthy,
});
const client = { cluster: 'c1', locality: { region: 'r1', zone: 'z1' } };
const endpoints = [
  group('c1', 'r1', 'z1', 2),
  group('c1', 'r1', 'z2', 2),
  group('c2', 'r2', 'z3', 3),
];

function byZone(input: SimulationInput): Record<string, number> {
  const [split] = simulateLocality({ clients: [client], ...input }).clients;
  const out: Record<string, number> = {};
  for (const s of split.shares) out[s.zone] = (out[s.zone] ?? 0) + s.share;
  return out;
}

// loadbalancer.go GetEffectiveLbSetting: DR localityLbSetting > service traffic distribution > mesh setting; the
// derived setting has Force: true, so failover applies without outlierDetection.
describe('simulateLocality with a traffic distribution', () => {
  it('PreferClose with no DestinationRule keeps traffic in the zone, no outlierDetection needed', () => {
    const result = simulateLocality({
      endpoints,
      clients: [client],
      trafficDistribution: 'PreferSameZone',
    });
    expect(result.mode).toBe('failoverPriority');
    expect(result.notes.join(' ')).toContain('PreferSameZone');
    expect(
      byZone({ endpoints, trafficDistribution: 'PreferSameZone' }),
    ).toEqual({ z1: 100, z2: 0, z3: 0 });
    // Without it, the same endpoints are spread round robin: 2/7, 2/7, 3/7.
    expect(byZone({ endpoints }).z1).toBeCloseTo(28.57, 1);
  });

  it('fails over to the same region, then to other regions', () => {
    expect(
      byZone({
        endpoints,
        trafficDistribution: 'PreferSameZone',
        failed: [{ region: 'r1', zone: 'z1' }],
      }),
    ).toEqual({ z1: 0, z2: 100, z3: 0 });
    expect(
      byZone({
        endpoints,
        trafficDistribution: 'PreferSameZone',
        failed: [{ region: 'r1' }],
      }),
    ).toEqual({ z1: 0, z2: 0, z3: 100 });
  });

  it('applies even when the mesh switches locality load balancing off (the service wins over the mesh)', () => {
    expect(
      byZone({
        endpoints,
        trafficDistribution: 'PreferSameZone',
        meshLocalityLbEnabled: false,
      }).z1,
    ).toBe(100);
  });

  it("a DestinationRule's localityLbSetting wins, and enabled: false turns locality routing off", () => {
    const distribute = {
      localityLbSetting: {
        distribute: [{ from: 'r1/z1/*', to: { 'r1/z1/*': 50, 'r1/z2/*': 50 } }],
      },
    };
    const withDr = simulateLocality({
      endpoints,
      clients: [client],
      trafficDistribution: 'PreferSameZone',
      policy: distribute,
    });
    expect(withDr.mode).toBe('distribute');
    expect(withDr.notes.join(' ')).toContain('takes precedence');
    const off = simulateLocality({
      endpoints,
      clients: [client],
      trafficDistribution: 'PreferSameZone',
      policy: { localityLbSetting: { enabled: false } },
    });
    expect(off.mode).toBe('none');
  });

  it('a DestinationRule with only outlierDetection leaves the traffic distribution in force', () => {
    expect(
      byZone({
        endpoints,
        trafficDistribution: 'PreferSameZone',
        policy: { outlierDetection: { consecutive5xxErrors: 1 } },
      }).z1,
    ).toBe(100);
  });

  it('other networks rank below every endpoint of the own network (network is the first key)', () => {
    const [split] = simulateLocality({
      endpoints: [
        { ...group('c1', 'r1', 'z1', 1, 1), network: 'n1' },
        { ...group('c2', 'r1', 'z1', 4), network: 'n2' },
        { ...group('c3', 'r2', 'z9', 1), network: 'n1' },
      ],
      clients: [{ ...client, network: 'n1' }],
      trafficDistribution: 'PreferSameZone',
    }).clients;
    const priority = Object.fromEntries(
      split.shares.map(s => [s.cluster, s.priority]),
    );
    expect(priority).toEqual({ c1: 0, c3: 1, c2: 2 });
  });

  it('property: a client whose zone has only healthy endpoints sends them all its requests', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            region: fc.constantFrom('r1', 'r2'),
            zone: fc.constantFrom('z1', 'z2', 'z3'),
            healthy: fc.integer({ min: 0, max: 4 }),
            unhealthy: fc.integer({ min: 0, max: 2 }),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        fc.constantFrom<'PreferSameZone' | 'PreferSameNode'>(
          'PreferSameZone',
          'PreferSameNode',
        ),
        (groups, td) => {
          const eps = groups.map((g, i) =>
            group(`c${i}`, g.region, g.zone, g.healthy, g.unhealthy),
          );
          const result = simulateLocality({
            endpoints: eps,
            trafficDistribution: td,
          });
          for (const split of result.clients) {
            const local = split.shares.filter(
              s =>
                s.region === split.client.locality.region &&
                s.zone === split.client.locality.zone,
            );
            const inZone = eps.filter(
              e =>
                e.locality.region === split.client.locality.region &&
                e.locality.zone === split.client.locality.zone,
            );
            // Envoy's priority health: all local hosts healthy keeps every request there (overprovisioning 1.4).
            const localHealthy =
              inZone.some(e => e.healthy > 0) &&
              inZone.every(e => e.unhealthy === 0);
            const localShare = local.reduce((sum, s) => sum + s.share, 0);
            expect(!localHealthy || Math.abs(localShare - 100) < 1e-6).toBe(
              true,
            );
          }
        },
      ),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 100) },
    );
  });
});
