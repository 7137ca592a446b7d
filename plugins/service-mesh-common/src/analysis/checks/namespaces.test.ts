import {
  edit,
  healthyMesh,
  meshNamespace,
  workload,
} from '../../__testUtils__/fixtures';
import {
  codesOf,
  findingsOf,
  firingFindings,
} from '../../__testUtils__/findings';

describe('MESH060 conflicting injection labels', () => {
  it('warns when istio-injection=enabled and istio.io/rev are both set', () => {
    const snapshot = edit(healthyMesh(), 'cluster1', d => {
      d.namespaces[1].labels['istio-injection'] = 'enabled';
    });
    const [f] = firingFindings(snapshot, 'MESH060');
    expect(f.hint).toContain(
      'kubectl label namespace global-svc istio-injection- --context=cluster1',
    );
  });

  it('does not fire for istio-injection=disabled with istio.io/rev (IST0123 semantics)', () => {
    const snapshot = edit(healthyMesh(), 'cluster1', d => {
      d.namespaces.push({
        name: 'tools',
        labels: { 'istio-injection': 'disabled', 'istio.io/rev': '1-22' },
        onboarded: false,
      });
    });
    expect(findingsOf(snapshot, 'MESH060')).toEqual([]);
  });
});

describe('MESH061 missing revision', () => {
  it('errors when istio.io/rev names a revision the cluster does not run', () => {
    const snapshot = edit(healthyMesh(), 'cluster2', d => {
      d.namespaces.push({
        ...meshNamespace('legacy', '1-21'),
        onboarded: true,
      });
    });
    const [f] = firingFindings(snapshot, 'MESH061');
    expect(f).toMatchObject({
      severity: 'error',
      clusters: ['cluster2'],
      resource: { kind: 'Namespace', name: 'legacy' },
    });
    expect(f.hint).toContain(
      'kubectl label namespace legacy istio.io/rev=1-22 --overwrite --context=cluster2',
    );
  });

  it('does not fire for an existing revision or the default tag', () => {
    const snapshot = edit(healthyMesh(), 'cluster2', d => {
      d.namespaces[1].labels['istio.io/rev'] = 'default';
    });
    expect(findingsOf(snapshot, 'MESH061')).toEqual([]);
  });
});

describe('MESH062 namespace onboarded in some clusters only', () => {
  it('warns naming where it is missing, with the labels used elsewhere', () => {
    let snapshot = edit(healthyMesh(), 'cluster1', d => {
      d.namespaces.push(meshNamespace('payments'));
    });
    snapshot = edit(snapshot, 'cluster2', d => {
      d.namespaces.push(meshNamespace('payments'));
    });
    snapshot = edit(snapshot, 'cluster3', d => {
      d.namespaces.push({ name: 'payments', labels: {}, onboarded: false });
    });
    const [f] = firingFindings(snapshot, 'MESH062');
    expect(f).toMatchObject({
      id: 'MESH062-cluster3-namespace-payments',
      clusters: ['cluster3'],
    });
    expect(f.message).toContain(
      'onboarded in cluster1 and cluster2 but not in cluster3 (exists without mesh labels)',
    );
    expect(f.hint).toBe(
      'kubectl label namespace payments cpaas.io/serviceMesh=enabled istio.io/rev=1-22 --context=cluster3',
    );
    expect(codesOf(snapshot)).toEqual(['MESH062']);
  });

  it('suggests creating the namespace when it is absent', () => {
    const snapshot = edit(healthyMesh(), 'cluster1', d => {
      d.namespaces.push(meshNamespace('payments'));
    });
    expect(findingsOf(snapshot, 'MESH062')[0].hint).toContain(
      'kubectl create namespace payments --context=cluster2',
    );
  });

  it('does not fire when onboarded everywhere (with different label styles)', () => {
    const snapshot = edit(healthyMesh(), 'cluster3', d => {
      d.namespaces[1] = {
        name: 'global-svc',
        labels: { 'istio.io/rev': '1-22' },
        onboarded: true,
      };
    });
    expect(findingsOf(snapshot, 'MESH062')).toEqual([]);
  });
});

describe('MESH063 pods without sidecar', () => {
  it('warns about pods without sidecar in an onboarded namespace', () => {
    const snapshot = edit(healthyMesh(), 'cluster2', d => {
      d.workloads[0].podsWithSidecar = 1;
    });
    const [f] = firingFindings(snapshot, 'MESH063');
    expect(f.message).toContain(
      '1 of 2 pods of Deployment global-svc/product-service in cluster2 runs without',
    );
    expect(f.hint).toContain(
      'kubectl -n global-svc rollout restart deployment/product-service --context=cluster2',
    );
    expect(codesOf(snapshot)).toEqual(['MESH063']);
  });

  it('does not count pods opted out with sidecar.istio.io/inject=false, nor namespaces outside the mesh', () => {
    let snapshot = edit(healthyMesh(), 'cluster2', d => {
      d.workloads[0].podsWithSidecar = 1;
      d.workloads[0].podsOptedOut = 1;
    });
    snapshot = edit(snapshot, 'cluster1', d => {
      d.workloads.push(workload('kube-system', 'coredns', 2, 0));
    });
    expect(findingsOf(snapshot, 'MESH063')).toEqual([]);
  });
});
