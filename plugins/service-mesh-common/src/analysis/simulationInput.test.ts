import { simulateLocality } from '../locality/simulate';
import {
  edit,
  emptyData,
  FAILOVER_DR_SPEC,
  healthyMesh,
  policy,
} from '../__testUtils__/fixtures';
import { buildSimulationInput, selectTrafficPolicy } from './simulationInput';

const svc = { namespace: 'global-svc', name: 'product-service' };
const dr = (
  namespace: string,
  name: string,
  host: string,
  extra: Record<string, unknown> = {},
) =>
  policy('DestinationRule', namespace, name, {
    host,
    trafficPolicy: { outlierDetection: { consecutive5xxErrors: 1 } },
    ...extra,
  });

describe('selectTrafficPolicy', () => {
  it('prefers an exact host in the service namespace over wildcards and the root namespace', () => {
    const data = emptyData({
      destinationRules: [
        dr('istio-system', 'global', '*.cluster.local'),
        dr('global-svc', 'ns-wide', '*.global-svc.svc.cluster.local'),
        dr('global-svc', 'exact', 'product-service'),
      ],
    });
    expect(selectTrafficPolicy(data, svc)?.source).toEqual({
      namespace: 'global-svc',
      name: 'exact',
    });
  });

  it('falls back to wildcard hosts in the service namespace, then the root namespace (most specific first)', () => {
    const data = emptyData({
      destinationRules: [
        dr('istio-system', 'global', '*.cluster.local'),
        dr('istio-system', 'svc', '*.global-svc.svc.cluster.local'),
      ],
    });
    expect(selectTrafficPolicy(data, svc)?.source?.name).toBe('svc');
    const nsData = emptyData({
      destinationRules: [
        dr(
          'istio-system',
          'exact',
          'product-service.global-svc.svc.cluster.local',
        ),
        dr('global-svc', 'w', '*.cluster.local'),
      ],
    });
    expect(selectTrafficPolicy(nsData, svc)?.source?.name).toBe('w');
  });

  it('reads the cluster-wide failover rule in istio-system', () => {
    const data = emptyData({
      destinationRules: [
        policy('DestinationRule', 'istio-system', 'global', {
          ...FAILOVER_DR_SPEC,
          host: '*.cluster.local',
        }),
      ],
    });
    expect(selectTrafficPolicy(data, svc)).toEqual({
      localityLbSetting: {
        enabled: true,
        failover: [{ from: 'region1', to: 'region2' }],
      },
      outlierDetection: {
        consecutive5xxErrors: 1,
        maxEjectionPercent: 100,
        interval: '10s',
        baseEjectionTime: '600s',
      },
      source: { namespace: 'istio-system', name: 'global' },
    });
  });

  it('skips rules for other hosts, with a workloadSelector, or not exported', () => {
    const data = emptyData({
      destinationRules: [
        dr('global-svc', 'other', 'cart'),
        dr('global-svc', 'selected', 'product-service', {
          workloadSelector: { matchLabels: { app: 'x' } },
        }),
        dr('team', 'private', 'product-service.global-svc.svc.cluster.local', {
          exportTo: ['.'],
        }),
        dr('team', 'shortname', 'product-service'),
      ],
    });
    expect(selectTrafficPolicy(data, svc)).toBeUndefined();
  });
});

describe('buildSimulationInput', () => {
  it('collects endpoints of every member and the first member policy', () => {
    const input = buildSimulationInput(healthyMesh(), svc);
    expect(input.endpoints).toEqual([
      {
        cluster: 'cluster1',
        network: 'network1',
        locality: { region: 'region1', zone: 'zone1' },
        healthy: 2,
        unhealthy: 0,
      },
      {
        cluster: 'cluster2',
        network: 'network1',
        locality: { region: 'region2', zone: 'zone2' },
        healthy: 2,
        unhealthy: 0,
      },
      {
        cluster: 'cluster3',
        network: 'network2',
        locality: { region: 'region3', zone: 'zone3' },
        healthy: 2,
        unhealthy: 0,
      },
    ]);
    expect(input.policy?.source).toEqual({
      cluster: 'cluster1',
      namespace: 'global-svc',
      name: 'product-service',
    });
    expect(input.clients).toBeUndefined();
    const result = simulateLocality(input);
    expect(result.mode).toBe('failover');
    expect(result.clients[0].shares[0]).toMatchObject({
      cluster: 'cluster1',
      share: 100,
    });
  });

  it('uses the client cluster policy and localities when a client cluster is given', () => {
    const snapshot = edit(healthyMesh(), 'cluster3', d => {
      d.destinationRules = [];
      d.meshConfigs[0].localityLbEnabled = false;
    });
    const input = buildSimulationInput(snapshot, svc, 'cluster3');
    expect(input.policy).toBeUndefined();
    expect(input.meshLocalityLbEnabled).toBe(false);
    expect(input.clients).toEqual([
      {
        cluster: 'cluster3',
        network: 'network2',
        locality: { region: 'region3', zone: 'zone3' },
      },
    ]);
  });

  it("resolves the client cluster's Service traffic distribution, inheriting its namespace's annotation", () => {
    const byNamespace = edit(healthyMesh(), 'cluster1', d => {
      d.destinationRules = [];
      d.namespaces.find(n => n.name === 'global-svc')!.trafficDistribution =
        'PreferClose';
    });
    expect(buildSimulationInput(byNamespace, svc).trafficDistribution).toBe(
      'PreferSameZone',
    );
    // Another cluster's Service does not decide for cluster1's istiod (aggregate registry: its own cluster first).
    const elsewhere = edit(healthyMesh(), 'cluster2', d => {
      d.services.find(s => s.name === svc.name)!.trafficDistribution =
        'PreferSameNode';
    });
    expect(
      buildSimulationInput(elsewhere, svc, 'cluster1').trafficDistribution,
    ).toBeUndefined();
    expect(
      buildSimulationInput(elsewhere, svc, 'cluster2').trafficDistribution,
    ).toBe('PreferSameNode');
  });

  it('returns an empty input for an unknown service or a malformed snapshot', () => {
    expect(
      buildSimulationInput(healthyMesh(), { namespace: 'x', name: 'y' })
        .endpoints,
    ).toEqual([]);
    expect(buildSimulationInput({} as any, svc)).toEqual({ endpoints: [] });
  });
});
