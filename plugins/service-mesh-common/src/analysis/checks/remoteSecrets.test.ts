import { edit, healthyMesh } from '../../__testUtils__/fixtures';
import {
  codesOf,
  findingsOf,
  firingFindings,
} from '../../__testUtils__/findings';

describe('MESH010 missing remote secret', () => {
  it('errors for the primary that lacks a secret for a peer, with the exact command', () => {
    const snapshot = edit(healthyMesh(), 'cluster2', d => {
      d.remoteSecrets = d.remoteSecrets.filter(s => s.cluster !== 'cluster3');
    });
    const findings = firingFindings(snapshot, 'MESH010');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      id: 'MESH010-cluster2-cluster3-secret-istio-system-istio-remote-secret-cluster3',
      severity: 'error',
      clusters: ['cluster2', 'cluster3'],
      hint: 'istioctl create-remote-secret --context=cluster3 --name=cluster3 | kubectl apply -f - --context=cluster2',
    });
    expect(findings[0].message).toMatch(
      /^cluster2 has no remote secret for cluster3/,
    );
    expect(codesOf(snapshot)).toEqual(['MESH010']);
  });

  it('accepts a secret keyed by the peer istiod CLUSTER_ID instead of the Backstage name', () => {
    let snapshot = edit(healthyMesh(), 'cluster3', d => {
      d.controlPlanes[0].clusterId = 'prod-eu';
    });
    snapshot = edit(snapshot, 'cluster2', d => {
      d.remoteSecrets.find(s => s.cluster === 'cluster3')!.cluster = 'prod-eu';
    });
    snapshot = edit(snapshot, 'cluster1', d => {
      d.remoteSecrets = d.remoteSecrets.filter(s => s.cluster !== 'cluster3');
    });
    const findings = firingFindings(snapshot, 'MESH010');
    expect(findings.map(f => f.clusters)).toEqual([['cluster1', 'cluster3']]);
    expect(findings[0].hint).toContain('--name=prod-eu');
  });

  it('needs no secrets in a remote cluster (no istiod) nor for the management cluster', () => {
    const snapshot = edit(healthyMesh(), 'cluster3', d => {
      d.controlPlanes = [];
      d.remoteSecrets = [];
    });
    expect(findingsOf(snapshot, 'MESH010')).toEqual([]);
  });

  it('requires a secret for a member that was never read', () => {
    const snapshot = healthyMesh();
    snapshot.clusters.push({
      name: 'cluster4',
      role: 'member',
      status: 'unreachable',
    });
    const findings = firingFindings(snapshot, 'MESH010');
    expect(findings.map(f => f.clusters)).toEqual([
      ['cluster1', 'cluster4'],
      ['cluster2', 'cluster4'],
      ['cluster3', 'cluster4'],
    ]);
  });
});

describe('MESH011 remote secret for a cluster outside the mesh', () => {
  it('warns about a stale secret', () => {
    const snapshot = edit(healthyMesh(), 'cluster1', d => {
      d.remoteSecrets.push({
        namespace: 'istio-system',
        name: 'istio-remote-secret-old',
        cluster: 'old',
      });
    });
    const [f] = firingFindings(snapshot, 'MESH011');
    expect(f).toMatchObject({ severity: 'warning', clusters: ['cluster1'] });
    expect(f.hint).toContain(
      'kubectl -n istio-system delete secret istio-remote-secret-old --context=cluster1',
    );
  });

  it('ignores a secret for the cluster itself (istiod ignores it too)', () => {
    const snapshot = edit(healthyMesh(), 'cluster1', d => {
      d.remoteSecrets.push({
        namespace: 'istio-system',
        name: 'istio-remote-secret-cluster1',
        cluster: 'cluster1',
      });
    });
    expect(findingsOf(snapshot, 'MESH011')).toEqual([]);
  });
});
