import { edit, healthyMesh, policy } from '../../__testUtils__/fixtures';
import {
  codesOf,
  findingsOf,
  firingFindings,
} from '../../__testUtils__/findings';
import { diffPaths } from './policyDrift';

describe('MESH052 policy drift', () => {
  it('warns when a DestinationRule differs in one cluster, saying where', () => {
    const snapshot = edit(healthyMesh(), 'cluster3', d => {
      (
        d.destinationRules[0].spec as any
      ).trafficPolicy.outlierDetection.consecutive5xxErrors = 5;
    });
    const [f] = firingFindings(snapshot, 'MESH052');
    expect(f).toMatchObject({
      id: 'MESH052-cluster1-cluster2-cluster3-destinationrule-global-svc-product-service',
      severity: 'warning',
      resource: {
        kind: 'DestinationRule',
        namespace: 'global-svc',
        name: 'product-service',
      },
    });
    expect(f.message).toContain(
      'cluster1 and cluster2 agree; cluster3 differs at spec.trafficPolicy.outlierDetection.consecutive5xxErrors',
    );
    expect(f.hint).toContain(
      'for c in cluster1 cluster2 cluster3; do kubectl apply -n global-svc',
    );
    expect(codesOf(snapshot)).toEqual(['MESH052']);
  });

  it('warns when a PeerAuthentication exists in some clusters only', () => {
    const snapshot = edit(healthyMesh(), 'cluster1', d => {
      d.peerAuthentications.push(
        policy('PeerAuthentication', 'global-svc', 'default', {
          mtls: { mode: 'STRICT' },
        }),
      );
    });
    const [f] = firingFindings(snapshot, 'MESH052');
    expect(f.message).toContain(
      'exists in cluster1 but not in cluster2 and cluster3',
    );
  });

  it('does not fire for equal specs in a different key order', () => {
    const snapshot = edit(healthyMesh(), 'cluster3', d => {
      const spec = d.destinationRules[0].spec as Record<string, unknown>;
      d.destinationRules[0].spec = {
        trafficPolicy: spec.trafficPolicy,
        host: spec.host,
      };
    });
    expect(findingsOf(snapshot, 'MESH052')).toEqual([]);
  });

  it('does not count clusters where the namespace is not onboarded as missing', () => {
    const snapshot = edit(healthyMesh(), 'cluster1', d => {
      d.namespaces.push({ name: 'payments', labels: {}, onboarded: true });
      d.virtualServices.push(
        policy('VirtualService', 'payments', 'pay', { hosts: ['pay'] }),
      );
    });
    expect(findingsOf(snapshot, 'MESH052')).toEqual([]);
  });
});

describe('diffPaths', () => {
  it('lists leaf paths, up to the limit', () => {
    expect(diffPaths({ a: { b: 1, c: 2 } }, { a: { b: 1, c: 3 } })).toEqual([
      'spec.a.c',
    ]);
    expect(diffPaths({ a: 1, b: 1, c: 1, d: 1 }, {})).toEqual([
      'spec.a',
      'spec.b',
      'spec.c',
    ]);
    expect(diffPaths([1], [2])).toEqual(['spec']);
  });
});

// Primaries do not share Istio config (istio.io/latest/docs/ops/configuration/traffic-management/multicluster/):
// each cluster's proxies enforce their own istiod's copy of an AuthorizationPolicy.
describe('MESH053 AuthorizationPolicy drift', () => {
  const allow = (principal: string) =>
    policy('AuthorizationPolicy', 'global-svc', 'product-allow', {
      selector: { matchLabels: { app: 'product-service' } },
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: [principal] } }] }],
    });
  const everywhere = (principal: (cluster: string) => string) => {
    let snapshot = healthyMesh();
    for (const c of ['cluster1', 'cluster2', 'cluster3'])
      snapshot = edit(snapshot, c, d => {
        d.authorizationPolicies.push(allow(principal(c)));
      });
    return snapshot;
  };

  it('warns when the same workload is allowed different clients in one cluster, with MESH053 (not MESH052)', () => {
    const snapshot = everywhere(c =>
      c === 'cluster3'
        ? 'cluster.local/ns/global-svc/sa/legacy'
        : 'cluster.local/ns/global-svc/sa/storefront',
    );
    const [f] = firingFindings(snapshot, 'MESH053');
    expect(f).toMatchObject({
      severity: 'warning',
      resource: { kind: 'AuthorizationPolicy', name: 'product-allow' },
    });
    expect(f.message).toContain('cluster3 differs at spec.rules');
    expect(f.message).toContain('allowed in one cluster and denied in another');
    expect(codesOf(snapshot)).toEqual(['MESH053']);
  });

  it('warns when it exists in some clusters only, and is silent when every copy agrees', () => {
    const some = edit(healthyMesh(), 'cluster1', d => {
      d.authorizationPolicies.push(
        allow('cluster.local/ns/global-svc/sa/storefront'),
      );
    });
    expect(firingFindings(some, 'MESH053')[0].message).toContain(
      'but not in cluster2 and cluster3',
    );
    expect(
      codesOf(everywhere(() => 'cluster.local/ns/global-svc/sa/storefront')),
    ).toEqual([]);
  });
});

describe('MESH052 for Sidecars and ServiceEntries', () => {
  it('compares Sidecars and ServiceEntries across clusters like the other Istio config', () => {
    const sidecar = edit(healthyMesh(), 'cluster2', d => {
      d.sidecars.push(
        policy('Sidecar', 'global-svc', 'default', {
          egress: [{ hosts: ['./*'] }],
        }),
      );
    });
    expect(firingFindings(sidecar, 'MESH052')[0].resource).toEqual({
      kind: 'Sidecar',
      namespace: 'global-svc',
      name: 'default',
    });
    const entry = edit(healthyMesh(), 'cluster2', d => {
      d.serviceEntries.push(
        policy('ServiceEntry', 'global-svc', 'legacy', {
          hosts: ['legacy.internal'],
          location: 'MESH_INTERNAL',
        }),
      );
    });
    expect(firingFindings(entry, 'MESH052')[0].resource?.kind).toBe(
      'ServiceEntry',
    );
  });
});
