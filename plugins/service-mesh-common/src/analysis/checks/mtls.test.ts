import {
  edit,
  editAll,
  healthyMesh,
  policy,
  workload,
} from '../../__testUtils__/fixtures';
import {
  codesOf,
  findingsOf,
  firingFindings,
} from '../../__testUtils__/findings';

describe('MESH070 mTLS mode differs', () => {
  it('warns when a namespace is STRICT in some clusters and PERMISSIVE in another', () => {
    const snapshot = edit(healthyMesh(), 'cluster3', d => {
      d.peerAuthentications.push(
        policy('PeerAuthentication', 'global-svc', 'default', {
          mtls: { mode: 'PERMISSIVE' },
        }),
      );
    });
    const [f] = firingFindings(snapshot, 'MESH070');
    expect(f.message).toContain(
      'STRICT in cluster1 and cluster2; PERMISSIVE in cluster3',
    );
    expect(f.hint).toContain('mode: STRICT');
  });

  it('treats explicit PERMISSIVE and the default alike', () => {
    let snapshot = editAll(healthyMesh(), d => {
      d.peerAuthentications = [];
    });
    snapshot = edit(snapshot, 'cluster1', d => {
      d.peerAuthentications.push(
        policy('PeerAuthentication', 'istio-system', 'default', {
          mtls: { mode: 'PERMISSIVE' },
        }),
      );
    });
    expect(findingsOf(snapshot, 'MESH070')).toEqual([]);
  });
});

describe('MESH071 cross-network traffic not ISTIO_MUTUAL', () => {
  it('errors when the client cluster DestinationRule sets tls.mode DISABLE', () => {
    const snapshot = editAll(healthyMesh(), d => {
      (d.destinationRules[0].spec as any).trafficPolicy.tls = {
        mode: 'DISABLE',
      };
    });
    const findings = firingFindings(snapshot, 'MESH071');
    // cluster3 (network2) is remote for cluster1/2, and cluster1/2 (network1) are remote for cluster3.
    expect(findings.map(f => f.id)).toEqual([
      'MESH071-cluster1-cluster2-cluster3-service-global-svc-product-service-to-cluster3',
      'MESH071-cluster1-cluster3-service-global-svc-product-service-to-cluster1',
      'MESH071-cluster2-cluster3-service-global-svc-product-service-to-cluster2',
    ]);
    expect(findings[0].message).toContain(
      'sets trafficPolicy.tls.mode DISABLE',
    );
  });

  it('errors when PeerAuthentication disables mTLS for the service', () => {
    const snapshot = edit(healthyMesh(), 'cluster3', d => {
      d.peerAuthentications.push(
        policy('PeerAuthentication', 'global-svc', 'no-mtls', {
          selector: { matchLabels: { app: 'product-service' } },
          mtls: { mode: 'DISABLE' },
        }),
      );
    });
    const findings = findingsOf(snapshot, 'MESH071');
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.map(f => f.message).join(' ')).toContain(
      'PeerAuthentication global-svc/no-mtls in cluster3 disables mTLS',
    );
  });

  it('errors when no destination pod has a sidecar', () => {
    const snapshot = edit(healthyMesh(), 'cluster3', d => {
      d.workloads[0].podsWithSidecar = 0;
      d.workloads[0].uninjected = [
        { pods: 2, hostNetwork: false, labels: { app: 'product-service' } },
      ];
    });
    const [f] = firingFindings(snapshot, 'MESH071');
    expect(f.clusters).toEqual(['cluster1', 'cluster2', 'cluster3']);
    expect(f.message).toContain(
      'no pod of Deployment product-service in cluster3 has a sidecar',
    );
    expect(codesOf(snapshot)).toEqual(['MESH071', 'MESH063']);
  });

  it('does not fire when only some pods lack a sidecar (MESH063 only), nor for ISTIO_MUTUAL', () => {
    let snapshot = edit(healthyMesh(), 'cluster2', d => {
      d.workloads.push({
        ...workload('global-svc', 'product-service-canary', 1, 0),
        labels: { app: 'product-service' },
      });
    });
    snapshot = editAll(snapshot, d => {
      (d.destinationRules[0].spec as any).trafficPolicy.tls = {
        mode: 'ISTIO_MUTUAL',
      };
    });
    expect(codesOf(snapshot)).toEqual(['MESH063']);
  });

  it('does not fire in a single-network mesh', () => {
    const snapshot = editAll(healthyMesh(), (d, c) => {
      c.network = 'network1';
      d.systemNamespaceNetwork = 'network1';
      d.meshConfigs[0].network = 'network1';
      d.eastWestGateways[0].network = 'network1';
      (d.destinationRules[0].spec as any).trafficPolicy.tls = {
        mode: 'DISABLE',
      };
    });
    expect(findingsOf(snapshot, 'MESH071')).toEqual([]);
  });
});
