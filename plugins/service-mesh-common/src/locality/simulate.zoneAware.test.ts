// Zone-aware routing as istiod configures it (pilot/pkg/networking/core/loadbalancer/loadbalancer.go,
// GetEffectiveLbSetting and ZoneAwareLBSettings.ApplyToCluster): a DestinationRule's zoneAwareLbSetting wins over
// its localityLbSetting and the Service's trafficDistribution; `enabled: false` sets routing_enabled 0% and no
// priorities, so Envoy spreads requests over all healthy endpoints.
import { simTrafficPolicyOf } from '../analysis/destinationRuleSpec';
import { simulateLocality } from './simulate';
import type { SimulationInput } from './types';

const at = (
  cluster: string,
  region: string,
  zone: string,
  healthy: number,
) => ({
  cluster,
  locality: { region, zone },
  healthy,
  unhealthy: 0,
});
const base: SimulationInput = {
  endpoints: [
    at('c1', 'us-east-1', 'us-east-1a', 1),
    at('c2', 'eu-west-1', 'eu-west-1a', 3),
  ],
  clients: [
    { cluster: 'c1', locality: { region: 'us-east-1', zone: 'us-east-1a' } },
  ],
  trafficDistribution: 'PreferSameZone',
};

describe('zoneAwareLbSetting', () => {
  it('is read from the DestinationRule loadBalancer (enabled unset: on)', () => {
    expect(
      simTrafficPolicyOf({
        trafficPolicy: { loadBalancer: { zoneAwareLbSetting: {} } },
      }).zoneAwareLbSetting,
    ).toEqual({ enabled: true });
    expect(
      simTrafficPolicyOf({
        trafficPolicy: {
          loadBalancer: { zoneAwareLbSetting: { enabled: false } },
        },
      }).zoneAwareLbSetting,
    ).toEqual({ enabled: false });
    expect(simTrafficPolicyOf({ trafficPolicy: {} }).zoneAwareLbSetting).toBe(
      undefined,
    );
  });

  it("disabled: no locality priorities at all, over the Service's PreferSameZone", () => {
    const local = simulateLocality(base);
    expect(local.clients[0].shares.find(s => s.cluster === 'c1')?.share).toBe(
      100,
    );
    const off = simulateLocality({
      ...base,
      policy: {
        zoneAwareLbSetting: { enabled: false },
        localityLbSetting: {
          failoverPriority: ['topology.kubernetes.io/zone'],
        },
      },
    });
    expect(off.mode).toBe('none');
    expect(
      Object.fromEntries(off.clients[0].shares.map(s => [s.cluster, s.share])),
    ).toEqual({ c1: 25, c2: 75 });
    expect(off.notes.join(' ')).toContain('zoneAwareLbSetting.enabled: false');
  });

  it('enabled: says the shares are not the zone-aware prediction', () => {
    const on = simulateLocality({
      ...base,
      policy: { zoneAwareLbSetting: { enabled: true } },
    });
    expect(on.notes.join(' ')).toContain(
      "Istio configures Envoy's zone-aware routing",
    );
  });
});
