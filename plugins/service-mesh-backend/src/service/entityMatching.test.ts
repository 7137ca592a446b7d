import {
  MeshService,
  MeshWorkload,
  PolicyResource,
} from '@internal/plugin-service-mesh-common';
import {
  indexableRequirement,
  matchesSelector,
  parseLabelSelector,
} from './labelSelector';
import {
  destinationRuleApplies,
  hostMatchesService,
  peerAuthenticationApplies,
  virtualServiceApplies,
} from './policyScope';

const product = {
  namespace: 'global-svc',
  name: 'product-service',
} as MeshService;
const policy = (
  kind: PolicyResource['kind'],
  namespace: string,
  spec: object,
): PolicyResource => ({
  kind,
  namespace,
  name: 'p',
  spec: spec as Record<string, unknown>,
});

describe('label selectors', () => {
  it('parses and evaluates equality and set-based requirements', () => {
    const reqs = parseLabelSelector(
      'app=product, tier in (web,api),!legacy,env!=dev,team',
    );
    expect(indexableRequirement(reqs)).toEqual({
      key: 'app',
      value: 'product',
    });
    expect(
      matchesSelector(reqs, { app: 'product', tier: 'api', team: 'a' }),
    ).toBe(true);
    expect(
      matchesSelector(reqs, {
        app: 'product',
        tier: 'api',
        team: 'a',
        legacy: 'y',
      }),
    ).toBe(false);
    expect(
      matchesSelector(reqs, { app: 'product', tier: 'db', team: 'a' }),
    ).toBe(false);
    expect(
      matchesSelector(reqs, {
        app: 'product',
        tier: 'web',
        team: 'a',
        env: 'dev',
      }),
    ).toBe(false);
    expect(
      indexableRequirement(parseLabelSelector('tier notin (db)')),
    ).toBeUndefined();
    expect(() => parseLabelSelector('app in (a')).toThrow(/unbalanced/);
    expect(() => parseLabelSelector('a b c')).toThrow(/cannot parse/);
  });
});

describe('policy scope', () => {
  it('resolves DestinationRule and VirtualService hosts like Istio', () => {
    expect(hostMatchesService('product-service', 'global-svc', product)).toBe(
      true,
    );
    expect(hostMatchesService('product-service', 'other', product)).toBe(false);
    expect(
      hostMatchesService('product-service.global-svc', 'other', product),
    ).toBe(true);
    expect(
      hostMatchesService(
        'product-service.global-svc.svc.cluster.local',
        'x',
        product,
      ),
    ).toBe(true);
    expect(hostMatchesService('*.cluster.local', 'istio-system', product)).toBe(
      true,
    );
    expect(
      hostMatchesService('*.other.svc.cluster.local', 'istio-system', product),
    ).toBe(false);
    expect(
      destinationRuleApplies(
        policy('DestinationRule', 'istio-system', { host: '*.cluster.local' }),
        product,
      ),
    ).toBe(true);
    expect(
      virtualServiceApplies(
        policy('VirtualService', 'global-svc', {
          hosts: ['shop.example.com'],
          http: [{ route: [{ destination: { host: 'product-service' } }] }],
        }),
        product,
      ),
    ).toBe(true);
    expect(
      virtualServiceApplies(
        policy('VirtualService', 'global-svc', { hosts: ['*'] }),
        product,
      ),
    ).toBe(false);
  });

  it('applies PeerAuthentications mesh-wide, per namespace or per workload selector', () => {
    const workloads = [
      {
        namespace: 'global-svc',
        labels: { app: 'product' },
      } as unknown as MeshWorkload,
    ];
    const ns = new Set(['global-svc']);
    expect(
      peerAuthenticationApplies(
        policy('PeerAuthentication', 'istio-system', {}),
        ns,
        workloads,
      ),
    ).toBe(true);
    expect(
      peerAuthenticationApplies(
        policy('PeerAuthentication', 'global-svc', {}),
        ns,
        workloads,
      ),
    ).toBe(true);
    expect(
      peerAuthenticationApplies(
        policy('PeerAuthentication', 'payments', {}),
        ns,
        workloads,
      ),
    ).toBe(false);
    expect(
      peerAuthenticationApplies(
        policy('PeerAuthentication', 'global-svc', {
          selector: { matchLabels: { app: 'product' } },
        }),
        ns,
        workloads,
      ),
    ).toBe(true);
    expect(
      peerAuthenticationApplies(
        policy('PeerAuthentication', 'global-svc', {
          selector: { matchLabels: { app: 'other' } },
        }),
        ns,
        workloads,
      ),
    ).toBe(false);
  });
});
